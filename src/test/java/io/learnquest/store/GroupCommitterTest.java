package io.learnquest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches form while a flush is out, bounded by count or by weight, and answers keep their order. */
class GroupCommitterTest {
  private final List<List<Integer>> flushed = new ArrayList<>();
  private final List<Promise<List<String>>> open = new ArrayList<>();

  private Future<List<String>> flush(List<Integer> batch) {
    flushed.add(batch);
    Promise<List<String>> promise = Promise.promise();
    open.add(promise);
    return promise.future();
  }

  private void answer(int flushIndex) {
    open.get(flushIndex).complete(flushed.get(flushIndex).stream().map(i -> "r" + i).toList());
  }

  @Test
  void aLoneItemGoesAtOnceAndTheCrowdBehindItGoesTogether() {
    GroupCommitter<Integer, String> committer = new GroupCommitter<>(100, 1, this::flush);
    Future<String> first = committer.submit(1);
    List<Future<String>> crowd = new ArrayList<>();
    for (int i = 2; i <= 6; i++) {
      crowd.add(committer.submit(i));
    }
    assertEquals(List.of(List.of(1)), flushed);
    answer(0);
    assertEquals("r1", first.result());
    assertEquals(List.of(2, 3, 4, 5, 6), flushed.get(1));
    answer(1);
    for (int i = 0; i < crowd.size(); i++) {
      assertEquals("r" + (i + 2), crowd.get(i).result());
    }
  }

  @Test
  void weightedBatchesStopAtTheirWeightAndAHeavyItemStillGoesAlone() {
    GroupCommitter<Integer, String> committer = new GroupCommitter<>(10, item -> item, 1, this::flush);
    committer.submit(1);
    for (int item : new int[] {4, 5, 3, 25, 2}) {
      committer.submit(item);
    }
    for (int i = 0; i < open.size(); i++) {
      answer(i);
    }
    assertEquals(List.of(List.of(1), List.of(4, 5), List.of(3), List.of(25), List.of(2)), flushed);
  }
}
