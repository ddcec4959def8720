package io.learnquest.xp;

import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Codecs;
import io.learnquest.domain.learner.LedgerEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/** The xp verticle as its callers see it: the XP ledger, read with typed messages over the event bus. */
public final class XpService {
  /** A page of a learner's ledger: {@code limit} lines older than the cursor {@code before} (null: the newest). */
  public record LedgerQuery(String tenant, String learnerId, Long before, int limit) {
  }

  /**
   * Ledger lines, newest first, and the cursor of the next (older) page, null on the last, as
   * {@code GET /api/v1/learners/{id}/xp} answers them.
   */
  public record Ledger(List<LedgerEntry> entries, String next) {
    public Ledger {
      entries = List.copyOf(entries);
    }
  }

  private final Vertx vertx;

  public XpService(Vertx vertx) {
    registerCodecs(vertx);
    this.vertx = vertx;
  }

  public static void registerCodecs(Vertx vertx) {
    Codecs.register(vertx, LedgerQuery.class, Ledger.class);
  }

  /** A page of the ledger; {@code not_found} for a learner the engine does not know. */
  public Future<Ledger> ledger(String tenant, String learnerId, Long before, int limit) {
    return Bus.ask(vertx, Addresses.XP_LEDGER, new LedgerQuery(tenant, learnerId, before, limit));
  }
}
