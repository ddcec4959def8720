package io.learnquest.streaks;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LearnerRules;
import io.learnquest.domain.streak.StreakRules;
import io.learnquest.domain.streak.StreakView;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.ZoneId;

/**
 * Serves a learner's streak as of today in their own zone (docs/rules.md, "Streaks"): the current
 * streak reads 0 once the learner missed more days than their freezes cover, and {@code atRisk}
 * says today has no study yet. The streak step of each event is part of the rules' pure apply.
 */
public final class StreaksVerticle extends VerticleBase {
  private final LearnerStore learners;
  private final Clock clock;

  public StreaksVerticle(EngineContext context) {
    this.learners = context.stores().learners();
    this.clock = context.clock();
  }

  @Override
  public Future<?> start() {
    StreaksService.registerCodecs(vertx);
    return Bus.answer(vertx, Addresses.STREAKS_LEARNER, this::streak);
  }

  /** The learner's streak today; not found for an unknown learner. */
  private Future<StreaksService.Streak> streak(StreaksService.StreakQuery request) {
    return learners.known(request.tenant(), request.learnerId()).map(this::view);
  }

  private StreaksService.Streak view(Learner learner) {
    String zone = learner.timezone() != null ? learner.timezone() : LearnerRules.DEFAULT_ZONE;
    StreakView streak = StreakRules.view(learner.streak(), StreakRules.localDay(clock.instant(), ZoneId.of(zone)));
    return new StreaksService.Streak(streak.current(), streak.longest(), streak.freezesLeft(),
        streak.lastStudyDate() == null ? null : streak.lastStudyDate().toString(), streak.atRisk());
  }
}
