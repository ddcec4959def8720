package io.learnquest.store;

import io.learnquest.domain.learner.LedgerEntry;
import java.util.List;

/** Ledger lines newest first, and the position the next (older) page starts before; null on the last. */
public record LedgerPage(List<LedgerEntry> entries, Long next) {
  public LedgerPage {
    entries = List.copyOf(entries);
  }
}
