package io.learnquest.streaks;

import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Codecs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The streaks verticle as its callers see it: a learner's streak as of today, with typed messages over the event bus. */
public final class StreaksService {
  public record StreakQuery(String tenant, String learnerId) {
  }

  /**
   * The streak in the learner's own zone today, as the profile shows it: {@code lastStudyDate} an
   * ISO date or null, {@code atRisk} when today has no study yet.
   */
  public record Streak(int current, int longest, int freezesLeft, String lastStudyDate, boolean atRisk) {
  }

  private final Vertx vertx;

  public StreaksService(Vertx vertx) {
    registerCodecs(vertx);
    this.vertx = vertx;
  }

  public static void registerCodecs(Vertx vertx) {
    Codecs.register(vertx, StreakQuery.class, Streak.class);
  }

  /** The streak; {@code not_found} for a learner the engine does not know. */
  public Future<Streak> streak(String tenant, String learnerId) {
    return Bus.ask(vertx, Addresses.STREAKS_LEARNER, new StreakQuery(tenant, learnerId));
  }
}
