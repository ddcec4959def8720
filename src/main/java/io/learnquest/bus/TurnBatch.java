package io.learnquest.bus;

import io.vertx.core.Context;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Gathers what one event-loop turn produces and hands it over once, when the turn ends: a group
 * commit completes many events in one turn, and their nudges, outcomes or live frames then travel
 * as one message instead of one each. Used from its context only.
 */
public final class TurnBatch<C> {
  private final Context context;
  private final Supplier<C> fresh;
  private final Consumer<C> send;
  private C current;

  public TurnBatch(Context context, Supplier<C> fresh, Consumer<C> send) {
    this.context = context;
    this.fresh = fresh;
    this.send = send;
  }

  /** The collection of this turn, to add to; it is sent when the turn ends. */
  public C collect() {
    if (current == null) {
      current = fresh.get();
      context.runOnContext(v -> {
        C full = current;
        current = null;
        send.accept(full);
      });
    }
    return current;
  }
}
