package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.array;
import static io.learnquest.api.ApiTestSupport.assertJson;
import static io.learnquest.api.ApiTestSupport.grant;
import static io.learnquest.api.ApiTestSupport.grants;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.login;
import static io.learnquest.api.ApiTestSupport.profileStreak;
import static io.learnquest.api.ApiTestSupport.streak;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/rules.md, "Streaks": streaks by the learner's local day, freezes, and the profile's read side. */
class StreaksApiTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  private JsonObject lessonAt(String eventId, String learnerId, String occurredAt) {
    return engine.apply(lesson(eventId, learnerId).put("objectId", "obj-" + eventId).put("occurredAt", occurredAt));
  }

  @Test
  void twoHoursApartAcrossTokyoMidnightExtendTheStreakWhileInUtcTheyAreOneDay() {
    // 2026-11-26T14:00Z is 23:00 on the 26th in Tokyo; 16:00Z is 01:00 on the 27th.
    JsonObject t1 = engine.apply(lesson("tk-1", "kenji").put("objectId", "l-1")
        .put("occurredAt", "2026-11-26T23:00:00+09:00").put("timezone", "Asia/Tokyo"));
    assertJson(streak(1, 1, 2, true, false), t1.getJsonObject("streak"));
    // no timezone: the stored Asia/Tokyo is used
    JsonObject t2 = engine.apply(lesson("tk-2", "kenji").put("objectId", "l-2")
        .put("occurredAt", "2026-11-27T01:00:00+09:00"));
    assertJson(streak(2, 2, 2, true, false), t2.getJsonObject("streak"));
    assertJson(grants(grant("lesson", 50, 110, 55), grant("streak", 25, 110, 27)), t2.getJsonArray("xpGranted"));
    assertEquals(134, t2.getLong("totalXp"));

    JsonObject tokyo = engine.profile("kenji");
    assertEquals("Asia/Tokyo", tokyo.getString("timezone"));
    // the clock's 12:00Z is 21:00 on the 27th in Tokyo
    assertJson(profileStreak(2, 2, 2, "2026-11-27", false), tokyo.getJsonObject("streak"));

    // the same two instants for a learner in UTC fall on one day
    JsonObject u1 = engine.apply(lesson("ut-1", "ute").put("objectId", "l-1").put("occurredAt", "2026-11-26T14:00:00Z"));
    assertJson(streak(1, 1, 2, true, false), u1.getJsonObject("streak"));
    JsonObject u2 = engine.apply(lesson("ut-2", "ute").put("objectId", "l-2").put("occurredAt", "2026-11-26T16:00:00Z"));
    assertJson(streak(1, 1, 2, false, false), u2.getJsonObject("streak"));
    assertJson(grants(grant("lesson", 50, 105, 52)), u2.getJsonArray("xpGranted"));
    assertEquals(104, u2.getLong("totalXp"));
    JsonObject utc = engine.profile("ute");
    assertEquals("UTC", utc.getString("timezone"));
    assertJson(profileStreak(1, 1, 2, "2026-11-26", true), utc.getJsonObject("streak"));
  }

  @Test
  void aGivenTimezoneReplacesTheStoredOneAndIsReusedLater() {
    // 23:00 on the 26th in Tokyo
    engine.apply(lesson("z-1", "lin").put("occurredAt", "2026-11-26T14:00:00Z").put("timezone", "Asia/Tokyo"));
    // 07:00Z is 23:00 on the 26th in Los Angeles (16:00 on the 27th in Tokyo): same day, no extension
    JsonObject z2 = engine.apply(lesson("z-2", "lin").put("occurredAt", "2026-11-27T07:00:00Z")
        .put("timezone", "America/Los_Angeles"));
    assertJson(streak(1, 1, 2, false, false), z2.getJsonObject("streak"));
    // no timezone: the stored Los Angeles; 07:30Z is still the 26th there (but the 27th in UTC and Tokyo)
    JsonObject z3 = engine.apply(lesson("z-3", "lin").put("occurredAt", "2026-11-27T07:30:00Z"));
    assertJson(streak(1, 1, 2, false, false), z3.getJsonObject("streak"));
    JsonObject profile = engine.profile("lin");
    assertEquals("America/Los_Angeles", profile.getString("timezone"));
    // the clock's 12:00Z is 04:00 on the 27th in Los Angeles
    assertJson(profileStreak(1, 1, 2, "2026-11-26", true), profile.getJsonObject("streak"));
  }

  @Test
  void aTwoDayGapConsumesTwoFreezesAndExtends() {
    lessonAt("g-1", "mia", "2026-11-20T10:00:00Z");
    JsonObject o = lessonAt("g-2", "mia", "2026-11-23T10:00:00Z");
    assertJson(streak(2, 2, 0, true, false), o.getJsonObject("streak"));
    assertJson(grants(grant("lesson", 50, 110, 55), grant("streak", 25, 110, 27)), o.getJsonArray("xpGranted"));
    // on the 27th, 4 days after the 23rd with no freeze left: the read side reports 0
    assertJson(profileStreak(0, 2, 0, "2026-11-23", false), engine.profile("mia").getJsonObject("streak"));
  }

  @Test
  void aOneDayGapConsumesOneFreeze() {
    lessonAt("o-1", "ned", "2026-11-25T10:00:00Z");
    JsonObject o = lessonAt("o-2", "ned", "2026-11-27T10:00:00Z");
    assertJson(streak(2, 2, 1, true, false), o.getJsonObject("streak"));
  }

  @Test
  void aThreeDayGapBreaksTheStreak() {
    lessonAt("b-1", "oli", "2026-11-19T10:00:00Z");
    JsonObject two = lessonAt("b-2", "oli", "2026-11-20T10:00:00Z");
    assertJson(streak(2, 2, 2, true, false), two.getJsonObject("streak"));
    JsonObject broken = lessonAt("b-3", "oli", "2026-11-24T10:00:00Z");
    assertJson(streak(1, 2, 2, false, true), broken.getJsonObject("streak"));
    assertJson(grants(grant("lesson", 50, 105, 52)), broken.getJsonArray("xpGranted"));
  }

  @Test
  void resettingAStreakOfOneIsNotBroken() {
    lessonAt("r-1", "pia", "2026-11-10T10:00:00Z");
    JsonObject o = lessonAt("r-2", "pia", "2026-11-15T10:00:00Z");
    assertJson(streak(1, 1, 2, false, false), o.getJsonObject("streak"));
  }

  @Test
  void aLateEventForAnEarlierDayChangesNothing() {
    lessonAt("l-1", "quin", "2026-11-25T10:00:00Z");
    lessonAt("l-2", "quin", "2026-11-26T10:00:00Z");
    JsonObject late = lessonAt("l-3", "quin", "2026-11-21T10:00:00Z");
    assertJson(streak(2, 2, 2, false, false), late.getJsonObject("streak"));
    // XP uses the stored streak (2): pct 110, no streak bonus
    assertJson(grants(grant("lesson", 50, 110, 55)), late.getJsonArray("xpGranted"));
    assertJson(profileStreak(2, 2, 2, "2026-11-26", true), engine.profile("quin").getJsonObject("streak"));
  }

  @Test
  void aFreezeIsRegainedWhenTheStreakReachesSeven() {
    lessonAt("f-0", "rae", "2026-11-18T10:00:00Z");
    JsonObject afterGap = lessonAt("f-1", "rae", "2026-11-20T10:00:00Z");
    assertJson(streak(2, 2, 1, true, false), afterGap.getJsonObject("streak"));
    JsonObject six = null;
    for (int day = 21; day <= 24; day++) {
      six = lessonAt("f-" + day, "rae", "2026-11-" + day + "T10:00:00Z");
    }
    assertJson(streak(6, 6, 1, true, false), six.getJsonObject("streak"));
    JsonObject seven = lessonAt("f-25", "rae", "2026-11-25T10:00:00Z");
    assertJson(streak(7, 7, 2, true, false), seven.getJsonObject("streak"));
    assertJson(array("week_streak"), seven.getJsonArray("badgesAwarded"));
  }

  @Test
  void dailyLoginNeverTouchesAStreak() {
    lessonAt("dl-1", "sam", "2026-11-25T10:00:00Z");
    JsonObject loginDay = engine.apply(login("dl-2", "sam").put("occurredAt", "2026-11-26T10:00:00Z"));
    assertJson(streak(1, 1, 2, false, false), loginDay.getJsonObject("streak"));
    JsonObject o = lessonAt("dl-3", "sam", "2026-11-27T10:00:00Z");
    // the 26th was missed (a login is not study): one freeze used
    assertJson(streak(2, 2, 1, true, false), o.getJsonObject("streak"));
  }

  @Test
  void profileReportsAtRiskThenZeroOnceMoreThanOnePlusFreezesDaysPass() {
    engine.apply(lesson("p-1", "tia"));
    assertJson(profileStreak(1, 1, 2, "2026-11-27", false), engine.profile("tia").getJsonObject("streak"));

    engine.clock.set(Instant.parse("2026-11-28T00:00:00Z"));
    assertJson(profileStreak(1, 1, 2, "2026-11-27", true), engine.profile("tia").getJsonObject("streak"));

    // the 30th is 3 = 1 + 2 freezes days after the 27th: still alive
    engine.clock.set(Instant.parse("2026-11-30T23:59:59Z"));
    assertJson(profileStreak(1, 1, 2, "2026-11-27", true), engine.profile("tia").getJsonObject("streak"));

    // the 1st is 4 days after: reported as 0
    engine.clock.set(Instant.parse("2026-12-01T00:00:00Z"));
    assertJson(profileStreak(0, 1, 2, "2026-11-27", false), engine.profile("tia").getJsonObject("streak"));
  }

  @Test
  void profileReadSideUsesTheLearnersToday() {
    engine.apply(lesson("tz-1", "uma").put("timezone", "Asia/Tokyo"));
    engine.apply(lesson("tz-2", "val"));
    // 12:00Z: the 27th both in Tokyo (21:00) and UTC
    assertJson(profileStreak(1, 1, 2, "2026-11-27", false), engine.profile("uma").getJsonObject("streak"));
    engine.clock.advance(Duration.ofHours(4));
    // 16:00Z is already the 28th in Tokyo, still the 27th in UTC
    assertJson(profileStreak(1, 1, 2, "2026-11-27", true), engine.profile("uma").getJsonObject("streak"));
    assertJson(profileStreak(1, 1, 2, "2026-11-27", false), engine.profile("val").getJsonObject("streak"));
  }

  @Test
  void theOutcomeReportsTheStreakAsStoredNotTheReadSide() {
    lessonAt("st-1", "wes", "2026-11-10T10:00:00Z");
    lessonAt("st-2", "wes", "2026-11-11T10:00:00Z");
    // a login long after: the stored streak (2) is reported, although the profile shows 0
    JsonObject o = engine.apply(login("st-3", "wes"));
    assertJson(streak(2, 2, 2, false, false), o.getJsonObject("streak"));
    assertJson(profileStreak(0, 2, 2, "2026-11-11", false), engine.profile("wes").getJsonObject("streak"));
    assertEquals(LocalDate.of(2026, 11, 11).toString(),
        engine.profile("wes").getJsonObject("streak").getString("lastStudyDate"));
  }

  @Test
  void aTimezoneOnANonStudyEventIsStoredToo() {
    engine.apply(login("tzl-1", "yui").put("timezone", "Asia/Tokyo"));
    assertEquals("Asia/Tokyo", engine.profile("yui").getString("timezone"));
    // 16:00Z is the 28th in Tokyo; the 27th in UTC
    engine.clock.advance(Duration.ofHours(4));
    engine.apply(lesson("tzl-2", "yui"));
    assertEquals("2026-11-28", engine.profile("yui").getJsonObject("streak").getString("lastStudyDate"));
  }
}
