package io.learnquest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.Polls;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Batches handed to a producer: order, each record's answer, and the caller's context. */
@ExtendWith(VertxExtension.class)
class RecordSenderTest {

  private static List<KafkaProducerRecord<String, String>> records(String... values) {
    return java.util.Arrays.stream(values).map(v -> KafkaProducerRecord.create("t", "k-" + v, v)).toList();
  }

  @Test
  void aBatchIsAnsweredRecordByRecordOnTheCallersContextOnceKafkaHasAnsweredEveryRecord(Vertx vertx,
                                                                                      VertxTestContext test) {
    MockProducer<String, String> kafka = new MockProducer<>(false, new StringSerializer(), new StringSerializer());
    RecordSender sender = new RecordSender(vertx, KafkaProducer.create(vertx, kafka));
    Context context = vertx.getOrCreateContext();
    AtomicReference<Future<RecordSender.Sent>> sent = new AtomicReference<>();
    context.runOnContext(v -> sent.set(sender.send(records("a", "b", "c"))));
    Polls.until(vertx, () -> sent.get() != null && kafka.history().size() == 3).onComplete(test.succeeding(h -> test.verify(() -> {
      assertEquals(List.of("a", "b", "c"), kafka.history().stream().map(ProducerRecord::value).toList());
      RuntimeException refused = new RuntimeException("refused");
      // listening before the last answer, so that the answer is seen where it is delivered
      sent.get().onComplete(test.succeeding(answer -> test.verify(() -> {
        assertSame(context, Vertx.currentContext(), "answered on the caller's context");
        assertNull(answer.errors().get(0));
        assertSame(refused, answer.errors().get(1));
        assertNull(answer.errors().get(2));
        assertSame(refused, answer.firstError());
        test.completeNow();
      })));
      kafka.completeNext();
      assertFalse(sent.get().isComplete(), "two records are still unanswered");
      kafka.errorNext(refused);
      assertFalse(sent.get().isComplete(), "one record is still unanswered");
      kafka.completeNext();
    })));
  }

  @Test
  void batchesSentOneAfterTheOtherReachTheProducerInThatOrder(Vertx vertx, VertxTestContext test) {
    MockProducer<String, String> kafka = new MockProducer<>(true, new StringSerializer(), new StringSerializer());
    RecordSender sender = new RecordSender(vertx, KafkaProducer.create(vertx, kafka));
    vertx.getOrCreateContext().runOnContext(v -> {
      Future<RecordSender.Sent> first = sender.send(records("1", "2"));
      Future<RecordSender.Sent> second = sender.send(records("3"));
      Future<RecordSender.Sent> third = sender.send(records("4", "5", "6"));
      Future.all(first, second, third).onComplete(test.succeeding(all -> test.verify(() -> {
        assertEquals(List.of("1", "2", "3", "4", "5", "6"),
            kafka.history().stream().map(ProducerRecord::value).toList());
        assertNull(first.result().firstError());
        assertNull(third.result().firstError());
        test.completeNow();
      })));
    });
  }

  @Test
  void aProducerThatRefusesEveryRecordAtOnceStillAnswersTheBatch(Vertx vertx, VertxTestContext test) {
    MockProducer<String, String> kafka = new MockProducer<>(true, new StringSerializer(), new StringSerializer());
    kafka.close();
    RecordSender sender = new RecordSender(vertx, KafkaProducer.create(vertx, kafka));
    vertx.getOrCreateContext().runOnContext(v -> sender.send(records("x", "y"))
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertEquals(2, answer.errors().size());
          assertTrue(answer.errors().stream().allMatch(e -> e instanceof IllegalStateException), answer.errors()::toString);
          assertTrue(kafka.history().isEmpty());
          test.completeNow();
        }))));
  }

  @Test
  void anEmptyBatchIsAnsweredAtOnce(Vertx vertx, VertxTestContext test) {
    MockProducer<String, String> kafka = new MockProducer<>(false, new StringSerializer(), new StringSerializer());
    new RecordSender(vertx, KafkaProducer.create(vertx, kafka)).send(List.of())
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertTrue(answer.errors().isEmpty());
          test.completeNow();
        })));
  }

  @Test
  void kafkasRecordIsTheOneVertxWouldHaveMade() {
    KafkaProducerRecord<String, String> plain = KafkaProducerRecord.create("t", "k", "v");
    KafkaProducerRecord<String, String> full = KafkaProducerRecord.create("t", "k", "v", 1_700_000_000_000L, 3)
        .addHeader("a", "1").addHeader("b", "é").addHeader("a", "2");
    for (KafkaProducerRecord<String, String> record : List.of(plain, full)) {
      assertEquals(record.record(), RecordSender.kafkaRecord(record));
    }
    assertEquals(3, RecordSender.kafkaRecord(full).headers().toArray().length);
  }
}
