package io.learnquest.domain.badge;

import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.IdShape;
import io.learnquest.domain.InputLimits;
import io.learnquest.domain.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Set;

/**
 * A badge of the catalog (docs/rules.md, "Badges"). {@code ruleJson} keeps the rule exactly as given so
 * the catalog reads back as it was written; {@code rule} is its parsed form.
 */
public record BadgeDefinition(String badgeId, String name, String description, String tier, String iconUrl,
                              Map<String, Object> ruleJson, BadgeRule rule) {
  public static final Set<String> TIERS = Set.of("bronze", "silver", "gold", "platinum", "legendary");

  public static boolean isValidBadgeId(String badgeId) {
    return IdShape.EVENT_ID.matches(badgeId);
  }

  /** Parses one definition; {@code path} prefixes the JSON paths of any refusal. */
  @SuppressWarnings("unchecked")
  public static BadgeDefinition parse(Map<String, Object> json, BadgeRuleParser parser, String path) {
    String badgeId = text(json, "badgeId", path, true);
    if (!IdShape.EVENT_ID.matches(badgeId)) {
      throw bad(IdShape.EVENT_ID.refusal("badgeId"), path + "badgeId");
    }
    String name = text(json, "name", path, true);
    plainText(name, path + "name", InputLimits.MAX_BADGE_NAME_CHARS, false);
    String description = text(json, "description", path, false);
    if (description != null) {
      plainText(description, path + "description", InputLimits.MAX_BADGE_DESCRIPTION_CHARS, true);
    }
    String tier = text(json, "tier", path, true);
    if (!TIERS.contains(tier)) {
      throw bad("tier must be one of bronze, silver, gold, platinum, legendary", path + "tier");
    }
    String iconUrl = text(json, "iconUrl", path, false);
    if (iconUrl != null) {
      iconUrl(iconUrl, path + "iconUrl");
    }
    Object rule = json.get("rule");
    if (rule == null) {
      throw new InvalidInputException(ErrorCodes.MISSING_FIELD, path + "rule is required", path + "rule");
    }
    BadgeRule parsed = parser.parse(rule, path + "rule");
    return new BadgeDefinition(badgeId, name, description == null ? "" : description, tier, iconUrl,
        (Map<String, Object>) rule, parsed);
  }

  /**
   * Names and descriptions are shown by every platform that renders the catalog or a learner's
   * badges. Markup ({@code <} or {@code >}) is refused rather than escaped: the engine cannot know
   * every page that shows it, and one that forgot to escape would run it.
   */
  private static void plainText(String text, String field, int maxChars, boolean multiline) {
    if (multiline) {
      InputLimits.requireMultilineText(text, field);
    } else {
      InputLimits.requireText(text, field);
    }
    if (text.length() > maxChars) {
      throw bad(field + " must be at most " + maxChars + " characters", field);
    }
    if (text.indexOf('<') >= 0 || text.indexOf('>') >= 0) {
      throw bad(field + " must be plain text: < and > are refused", field);
    }
  }

  /**
   * An absolute {@code https:} or {@code http:} URL with a host, or a path on the platform's own
   * origin ({@code /icons/x.svg}, as the default catalog has): never {@code javascript:},
   * {@code data:} or any other scheme a page would act on.
   */
  private static void iconUrl(String url, String field) {
    InputLimits.requireText(url, field);
    if (url.length() > InputLimits.MAX_URL_CHARS) {
      throw bad(field + " must be at most " + InputLimits.MAX_URL_CHARS + " characters", field);
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw bad(field + " must be an https: or http: URL", field);
    }
    boolean web = uri.isAbsolute() && ("https".equalsIgnoreCase(uri.getScheme())
        || "http".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null;
    boolean ownOrigin = !uri.isAbsolute() && uri.getRawAuthority() == null && url.startsWith("/")
        && !url.startsWith("//");
    if (!web && !ownOrigin) {
      throw bad(field + " must be an https: or http: URL (or a path starting with /)", field);
    }
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
