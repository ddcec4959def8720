package io.learnquest.xp;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Serves the XP ledger: every line of every event, with its base XP, multiplier and reason
 * (docs/rules.md, "XP and levels"), the audit trail of a learner's total. The XP of each event is
 * part of the rules' pure apply, and its lines are committed with the rest of the event.
 */
public final class XpVerticle extends VerticleBase {
  private final LearnerStore learners;

  public XpVerticle(EngineContext context) {
    this.learners = context.stores().learners();
  }

  @Override
  public Future<?> start() {
    XpService.registerCodecs(vertx);
    return Bus.answer(vertx, Addresses.XP_LEDGER, this::ledger);
  }

  /** The newest lines first, a page at a time; not found for an unknown learner. */
  private Future<XpService.Ledger> ledger(XpService.LedgerQuery request) {
    return learners.known(request.tenant(), request.learnerId())
        .compose(learner -> learners.ledgerPage(request.tenant(), request.learnerId(), request.before(),
            request.limit()))
        .map(page -> new XpService.Ledger(page.entries(), page.next() == null ? null : page.next().toString()));
  }
}
