package io.learnquest.domain.fairplay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.learnquest.domain.event.LearningEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FairPlayTest {
  static final Instant T = Instant.parse("2026-11-27T12:00:00Z");

  static LearningEvent event(String type, String learnerId, String objectId, Instant at) {
    return new LearningEvent("e-" + at.toEpochMilli(), learnerId, type, at, null, null, objectId, null, 2, false);
  }

  @Test
  void helpingOneselfIsFlaggedWhateverTheXp() {
    Flag flag = FairPlay.DEFAULTS.judge(event("peer_helped", "ana", "ana", T), Pace.EMPTY, false);
    assertEquals(FairPlay.SELF_HELP, flag.rule());
    assertEquals(T, flag.at());
    assertNull(FairPlay.DEFAULTS.judge(event("peer_helped", "ana", "ben", T), Pace.EMPTY, true));
  }

  @Test
  void selfHelpCanBeSwitchedOff() {
    assertNull(new FairPlay(false, 20, 30).judge(event("peer_helped", "ana", "ana", T), Pace.EMPTY, true));
  }

  @Test
  void theEventAfterTheLimitWithinAMinuteIsFlagged() {
    FairPlay rules = new FairPlay(true, 3, 30);
    Pace pace = Pace.EMPTY;
    for (int i = 0; i < 3; i++) {
      Instant at = T.plusSeconds(10L * i);
      assertNull(rules.judge(event("lesson_completed", "ana", "l" + i, at), pace, true));
      pace = pace.with("lesson_completed", at);
    }
    Flag flag = rules.judge(event("lesson_completed", "ana", "l9", T.plusSeconds(30)), pace, true);
    assertEquals(FairPlay.VELOCITY, flag.rule());
    // Another type has its own count; an event that earns nothing is never counted against.
    assertNull(rules.judge(event("quiz_completed", "ana", "q", T.plusSeconds(30)), pace, true));
    assertNull(rules.judge(event("lesson_completed", "ana", "l9", T.plusSeconds(30)), pace, false));
  }

  @Test
  void aMinuteCountsEitherSideOfTheEventAndNoFurther() {
    FairPlay rules = new FairPlay(true, 2, 30);
    Pace pace = Pace.EMPTY.with("lesson_completed", T).with("lesson_completed", T.plusSeconds(59));
    assertEquals(FairPlay.VELOCITY,
        rules.judge(event("lesson_completed", "ana", "x", T.plusSeconds(30)), pace, true).rule());
    // Arriving late but happening earlier: still within a minute of both.
    assertEquals(FairPlay.VELOCITY,
        rules.judge(event("lesson_completed", "ana", "x", T.plusSeconds(1)), pace, true).rule());
    // A minute after the first: only one is within a minute.
    assertNull(rules.judge(event("lesson_completed", "ana", "x", T.plusSeconds(60)), pace, true));
  }

  @Test
  void paceKeepsOnlyWhatAWindowCanStillSee() {
    Pace pace = Pace.EMPTY;
    for (int i = 0; i < 100; i++) {
      pace = pace.with("lesson_completed", T.plus(Duration.ofSeconds(30L * i)));
    }
    // Two minutes of times at 30 s spacing: five of them (the newest and four before it).
    assertEquals(5, pace.recent().get("lesson_completed").size());
  }

  @Test
  void limitsBelowOneAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FairPlay(true, 0, 30));
    assertThrows(IllegalArgumentException.class, () -> new FairPlay(true, 20, 0));
  }
}
