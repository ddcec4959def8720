package io.learnquest.domain.badge;

import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.IdShape;
import io.learnquest.domain.InputLimits;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.event.EventValidator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Parses the rule language of docs/rules.md, "Badges" from decoded JSON (maps and lists). Every
 * refusal names the bad part as a JSON path, e.g. {@code rule.all[1].gte}; nothing is
 * half-loaded because parsing builds a new tree and only returns it whole.
 */
public final class BadgeRuleParser {
  private static final Set<String> OPS = Set.of("gte", "gt", "lte", "lt", "eq");

  private final Predicate<String> knownEventType;

  public BadgeRuleParser(Predicate<String> knownEventType) {
    this.knownEventType = knownEventType;
  }

  /**
   * Parses a whole rule. A rule nested deeper than {@link InputLimits#MAX_RULE_DEPTH} or holding more
   * than {@link InputLimits#MAX_RULE_NODES} rules is refused where it crosses the limit, before any
   * deeper part is read: whoever stores, encodes or evaluates a rule recurses through it.
   */
  public BadgeRule parse(Object json, String path) {
    return parse(json, path, 1, new int[1]);
  }

  private BadgeRule parse(Object json, String path, int depth, int[] nodes) {
    if (depth > InputLimits.MAX_RULE_DEPTH) {
      throw new InvalidInputException(ErrorCodes.TOO_DEEP,
          path + ": a rule may nest at most " + InputLimits.MAX_RULE_DEPTH + " rules deep", path);
    }
    if (++nodes[0] > InputLimits.MAX_RULE_NODES) {
      throw new InvalidInputException(ErrorCodes.RULE_TOO_LARGE,
          path + ": a rule may hold at most " + InputLimits.MAX_RULE_NODES + " rules", path);
    }
    if (!(json instanceof Map<?, ?> raw)) {
      throw bad("a rule must be a JSON object", path);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> rule = (Map<String, Object>) raw;
    for (String key : rule.keySet()) {
      InputLimits.requireText(key, path + "." + key);
    }
    if (rule.containsKey("all") || rule.containsKey("any")) {
      String key = rule.containsKey("all") ? "all" : "any";
      onlyKeys(rule, path, Set.of(key));
      List<BadgeRule> parts = parseList(rule.get(key), path + "." + key, depth, nodes);
      return key.equals("all") ? new BadgeRule.All(parts) : new BadgeRule.Any(parts);
    }
    if (rule.containsKey("not")) {
      onlyKeys(rule, path, Set.of("not"));
      return new BadgeRule.Not(parse(rule.get("not"), path + ".not", depth + 1, nodes));
    }
    if (rule.containsKey("event")) {
      return parseEventRule(rule, path);
    }
    if (rule.containsKey("metric")) {
      return parseMetricRule(rule, path);
    }
    throw bad("a rule needs one of: event, metric, all, any, not", path);
  }

  private BadgeRule parseEventRule(Map<String, Object> rule, String path) {
    Object type = rule.get("event");
    if (type instanceof String text) {
      InputLimits.requireText(text, path + ".event");
    }
    if (!(type instanceof String name) || !knownEventType.test(name)) {
      throw bad("event must name a configured event type", path + ".event");
    }
    if (rule.containsKey("count")) {
      onlyKeys(rule, path, Set.of("event", "count"));
      return new BadgeRule.EventCount(name, wholeNumber(rule.get("count"), path + ".count", 1, Long.MAX_VALUE));
    }
    if (rule.containsKey("score")) {
      onlyKeys(rule, path, Set.of("event", "score"));
      return new BadgeRule.EventScore(name, (int) wholeNumber(rule.get("score"), path + ".score", 0, 100));
    }
    onlyKeys(rule, path, Set.of("event", "courseId"));
    Object course = rule.get("courseId");
    if (course != null && !(course instanceof String)) {
      throw bad("courseId must be a string", path + ".courseId");
    }
    if (course != null) {
      InputLimits.requireText((String) course, path + ".courseId");
      if (!EventValidator.isValidLearnerId((String) course)) {
        // An event's courseId follows this alphabet, so a rule naming another could never match.
        throw bad(IdShape.LEARNER_ID.refusal("courseId"), path + ".courseId");
      }
    }
    return new BadgeRule.EventIs(name, (String) course);
  }

  private BadgeRule parseMetricRule(Map<String, Object> rule, String path) {
    Object name = rule.get("metric");
    if (name instanceof String text) {
      InputLimits.requireText(text, path + ".metric");
    }
    Metric metric = name instanceof String text ? Metric.byRuleName(text).orElse(null) : null;
    if (metric == null) {
      throw bad("metric must be one of " + metricNames(), path + ".metric");
    }
    List<String> ops = rule.keySet().stream().filter(OPS::contains).toList();
    if (ops.size() != 1) {
      throw bad("a metric rule needs exactly one of gte, gt, lte, lt, eq", path);
    }
    String op = ops.get(0);
    onlyKeys(rule, path, Set.of("metric", op));
    long value = wholeNumber(rule.get(op), path + "." + op, Long.MIN_VALUE, Long.MAX_VALUE);
    return new BadgeRule.Compare(metric, BadgeRule.Op.valueOf(op.toUpperCase()), value);
  }

  private List<BadgeRule> parseList(Object json, String path, int depth, int[] nodes) {
    if (!(json instanceof Collection<?> items) || items.isEmpty()) {
      throw bad("must be a non-empty array of rules", path);
    }
    if (items.size() > InputLimits.MAX_RULE_NODES) {
      throw new InvalidInputException(ErrorCodes.RULE_TOO_LARGE,
          path + ": a rule may hold at most " + InputLimits.MAX_RULE_NODES + " rules", path);
    }
    List<BadgeRule> parts = new ArrayList<>(items.size());
    int i = 0;
    for (Object item : items) {
      parts.add(parse(item, path + "[" + i++ + "]", depth + 1, nodes));
    }
    return List.copyOf(parts);
  }

  private static long wholeNumber(Object value, String path, long min, long max) {
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte || value instanceof BigInteger)) {
      throw bad("must be an integer", path);
    }
    if (value instanceof BigInteger) {
      throw bad("is out of range", path);
    }
    long n = ((Number) value).longValue();
    if (n < min || n > max) {
      throw bad("must be between " + min + " and " + max, path);
    }
    return n;
  }

  private static void onlyKeys(Map<String, Object> rule, String path, Set<String> allowed) {
    for (String key : rule.keySet()) {
      if (!allowed.contains(key)) {
        throw bad("unexpected key '" + key + "' here; allowed: " + String.join(", ", allowed), path + "." + key);
      }
    }
  }

  private static String metricNames() {
    return String.join(", ", Metric.values().stream().map(Metric::ruleName).toList());
  }

  private static InvalidInputException bad(String message, String path) {
    return new InvalidInputException(ErrorCodes.INVALID_RULE, path + ": " + message, path);
  }
}
