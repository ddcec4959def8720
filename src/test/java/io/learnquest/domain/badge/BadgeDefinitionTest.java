package io.learnquest.domain.badge;

import static io.learnquest.domain.badge.BadgeRuleParserTest.PARSER;
import static io.learnquest.domain.badge.BadgeRuleParserTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.badge.BadgeRule.Compare;
import io.learnquest.domain.badge.BadgeRule.EventCount;
import io.learnquest.domain.badge.BadgeRule.EventScore;
import io.learnquest.domain.badge.BadgeRule.Op;
import io.learnquest.domain.progression.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/rules.md, "Badges": badge definitions, and the default catalog shipped under conf/. */
class BadgeDefinitionTest {
  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String text) {
    return (Map<String, Object>) json(text);
  }

  private static Map<String, Object> valid() {
    return new HashMap<>(object("""
        {"badgeId": "week_streak", "name": "Week Warrior", "description": "Seven days in a row.",
         "tier": "silver", "iconUrl": "/icons/week_streak.svg", "rule": {"metric": "streak_days", "gte": 7}}"""));
  }

  @Test
  void parsesAFullDefinitionKeepingTheRuleAsGiven() {
    BadgeDefinition d = BadgeDefinition.parse(valid(), PARSER, "");
    assertEquals("week_streak", d.badgeId());
    assertEquals("Week Warrior", d.name());
    assertEquals("Seven days in a row.", d.description());
    assertEquals("silver", d.tier());
    assertEquals("/icons/week_streak.svg", d.iconUrl());
    assertEquals(Map.of("metric", "streak_days", "gte", 7), d.ruleJson());
    assertEquals(new Compare(Metric.STREAK_DAYS, Op.GTE, 7), d.rule());
  }

  @Test
  void descriptionAndIconAreOptional() {
    Map<String, Object> json = valid();
    json.remove("description");
    json.remove("iconUrl");
    BadgeDefinition d = BadgeDefinition.parse(json, PARSER, "");
    assertEquals("", d.description());
    assertNull(d.iconUrl());
  }

  @ParameterizedTest(name = "tier {0}")
  @CsvSource({"bronze", "silver", "gold", "platinum", "legendary"})
  void everyTierIsAccepted(String tier) {
    Map<String, Object> json = valid();
    json.put("tier", tier);
    assertEquals(tier, BadgeDefinition.parse(json, PARSER, "").tier());
  }

  @ParameterizedTest(name = "{0} = {1} -> {2} at {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      badgeId | <absent>                       | missing_field | badges[2].badgeId
      badgeId | ""                             | invalid_type  | badges[2].badgeId
      badgeId | 7                              | invalid_type  | badges[2].badgeId
      badgeId | "has space"                    | invalid_value | badges[2].badgeId
      name    | <absent>                       | missing_field | badges[2].name
      name    | "  "                           | invalid_type  | badges[2].name
      tier    | <absent>                       | missing_field | badges[2].tier
      tier    | "diamond"                      | invalid_value | badges[2].tier
      tier    | "Gold"                         | invalid_value | badges[2].tier
      description | 5                          | invalid_type  | badges[2].description
      iconUrl | true                           | invalid_type  | badges[2].iconUrl
      rule    | <absent>                       | missing_field | badges[2].rule
      rule    | "streak_days >= 7"             | invalid_rule  | badges[2].rule
      rule    | {"metric": "streak", "gte": 7} | invalid_rule  | badges[2].rule.metric
      rule    | {"all": [{"metric": "xp", "gte": 1}, {"event": "lesson_completed", "count": 0}]} | invalid_rule | badges[2].rule.all[1].count
      """)
  void refusalsArePrefixedWithThePath(String field, String value, String code, String path) {
    Map<String, Object> json = valid();
    if (value.equals("<absent>")) {
      json.remove(field);
    } else {
      json.put(field, json(value));
    }
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> BadgeDefinition.parse(json, PARSER, "badges[2]."));
    assertEquals(code, e.code());
    assertEquals(path, e.field());
  }

  @Test
  void theDefaultCatalogHoldsTheFourContractBadges() throws Exception {
    Map<String, Object> catalog = object(Files.readString(Path.of("conf", "badges.json")));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> badges = (List<Map<String, Object>>) catalog.get("badges");
    Map<String, BadgeDefinition> byId = new HashMap<>();
    for (int i = 0; i < badges.size(); i++) {
      BadgeDefinition d = BadgeDefinition.parse(badges.get(i), PARSER, "badges[" + i + "].");
      byId.put(d.badgeId(), d);
    }
    assertEquals("bronze", byId.get("first_lesson").tier());
    assertEquals(new EventCount("lesson_completed", 1), byId.get("first_lesson").rule());
    assertEquals("silver", byId.get("week_streak").tier());
    assertEquals(new Compare(Metric.STREAK_DAYS, Op.GTE, 7), byId.get("week_streak").rule());
    assertEquals("gold", byId.get("perfect_quiz").tier());
    assertEquals(new EventScore("quiz_completed", 100), byId.get("perfect_quiz").rule());
    assertEquals("platinum", byId.get("mentor").tier());
    assertEquals(new Compare(Metric.of(Counter.PEERS_HELPED), Op.GTE, 10), byId.get("mentor").rule());
  }

  @ParameterizedTest(name = "iconUrl {0}")
  @CsvSource({"https://cdn.example/i.svg", "http://cdn.example:8080/i.png?v=2", "HTTPS://CDN.EXAMPLE/I.SVG",
      "/icons/week_streak.svg"})
  void iconsAreWebUrlsOrPathsOnTheOwnOrigin(String url) {
    Map<String, Object> json = valid();
    json.put("iconUrl", url);
    assertEquals(url, BadgeDefinition.parse(json, PARSER, "").iconUrl());
  }

  @ParameterizedTest(name = "iconUrl {0}")
  @CsvSource({"javascript:alert(1)", "jAvAsCrIpT:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
      "vbscript:x", "//evil.example/i.svg", "https:///no-host", "ftp://cdn.example/i.svg", "icons/i.svg",
      "'https://cdn.example/a b.svg'"})
  void anyOtherIconIsRefused(String url) {
    Map<String, Object> json = valid();
    json.put("iconUrl", url);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> BadgeDefinition.parse(json, PARSER, "badges[0]."));
    assertEquals("invalid_value", e.code());
    assertEquals("badges[0].iconUrl", e.field());
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', textBlock = """
      name        | <b>Bold</b>              | invalid_value
      name        | a > b                    | invalid_value
      description | <script>x</script>       | invalid_value
      name        | two\\nlines               | invalid_text
      """)
  void namesAndDescriptionsArePlainText(String field, String value, String code) {
    Map<String, Object> json = valid();
    json.put(field, value.replace("\\n", "\n"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> BadgeDefinition.parse(json, PARSER, ""));
    assertEquals(code, e.code());
    assertEquals(field, e.field());
  }

  @Test
  void aDescriptionMayHoldLinesAndANameIsBounded() {
    Map<String, Object> json = valid();
    json.put("description", "Seven days.\nIn a row & more.");
    assertEquals("Seven days.\nIn a row & more.", BadgeDefinition.parse(json, PARSER, "").description());
    json.put("name", "n".repeat(201));
    assertEquals("name", assertThrows(InvalidInputException.class,
        () -> BadgeDefinition.parse(json, PARSER, "")).field());
  }
}
