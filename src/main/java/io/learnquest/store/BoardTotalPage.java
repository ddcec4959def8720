package io.learnquest.store;

import java.util.List;

/**
 * A page of a tenant's board totals, whole learners at a time: every total of each learner read, in
 * learner order, and where the next page starts.
 *
 * @param learners how many learners the page read: a rebuild's progress
 * @param next     the last learner of this page when more may follow (the next page starts after it);
 *                 null on the last page
 */
public record BoardTotalPage(List<BoardTotal> totals, int learners, String next) {
  public BoardTotalPage {
    totals = List.copyOf(totals);
  }
}
