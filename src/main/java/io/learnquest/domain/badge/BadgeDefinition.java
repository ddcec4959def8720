package io.learnquest.domain.badge;

import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A badge of the catalog (docs/rules.md, "Badges"). {@code ruleJson} keeps the rule exactly as given so
 * the catalog reads back as it was written; {@code rule} is its parsed form.
 */
public record BadgeDefinition(String badgeId, String name, String description, String tier, String iconUrl,
                              Map<String, Object> ruleJson, BadgeRule rule) {
  public static final Set<String> TIERS = Set.of("bronze", "silver", "gold", "platinum", "legendary");
  private static final Pattern BADGE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** Parses one definition; {@code path} prefixes the JSON paths of any refusal. */
  @SuppressWarnings("unchecked")
  public static BadgeDefinition parse(Map<String, Object> json, BadgeRuleParser parser, String path) {
    String badgeId = text(json, "badgeId", path, true);
    if (!BADGE_ID.matcher(badgeId).matches()) {
      throw bad("badgeId must be 1 to 128 characters of A-Z a-z 0-9 . _ : -", path + "badgeId");
    }
    String name = text(json, "name", path, true);
    String description = text(json, "description", path, false);
    String tier = text(json, "tier", path, true);
    if (!TIERS.contains(tier)) {
      throw bad("tier must be one of bronze, silver, gold, platinum, legendary", path + "tier");
    }
    String iconUrl = text(json, "iconUrl", path, false);
    Object rule = json.get("rule");
    if (rule == null) {
      throw new InvalidInputException(ErrorCodes.MISSING_FIELD, path + "rule is required", path + "rule");
    }
    BadgeRule parsed = parser.parse(rule, path + "rule");
    return new BadgeDefinition(badgeId, name, description == null ? "" : description, tier, iconUrl,
        (Map<String, Object>) rule, parsed);
  }

  private static String text(Map<String, Object> json, String field, String path, boolean required) {
    Object value = json.get(field);
    if (value == null) {
      if (required) {
        throw new InvalidInputException(ErrorCodes.MISSING_FIELD, path + field + " is required", path + field);
      }
      return null;
    }
    if (!(value instanceof String s) || (required && s.isBlank())) {
      throw new InvalidInputException(ErrorCodes.INVALID_TYPE, path + field + " must be a non-empty string",
          path + field);
    }
    return s;
  }

  private static InvalidInputException bad(String message, String field) {
    return new InvalidInputException(ErrorCodes.INVALID_VALUE, message, field);
  }
}
