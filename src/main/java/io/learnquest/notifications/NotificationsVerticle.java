package io.learnquest.notifications;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.BatchedRequests;
import io.learnquest.bus.Bus;
import io.learnquest.bus.NotificationFrames;
import io.learnquest.bus.TurnBatch;
import io.learnquest.config.EngineConfig.KafkaSettings;
import io.learnquest.kafka.KafkaClients;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Fans committed notifications out to every web instance on every node, serves the retained
 * history that reconnecting clients replay from, and in Kafka mode publishes achievements to the
 * outbound topic for analytics.
 */
public final class NotificationsVerticle extends VerticleBase {
  static final int MAX_REPLAY = 1000;
  private final LearnerStore learners;
  private final KafkaSettings kafka;
  private KafkaProducer<String, String> producer;
  /** Frames published to the web instances once per event-loop turn. */
  private TurnBatch<JsonArray> live;

  public NotificationsVerticle(EngineContext context) {
    this.learners = context.stores().learners();
    this.kafka = context.config().kafka();
  }

  @Override
  public Future<?> start() {
    live = new TurnBatch<>(context, JsonArray::new,
        frames -> vertx.eventBus().publish(Addresses.NOTIFICATIONS_LIVE, new JsonObject().put("frames", frames)));
    Future<?> outbound = Future.succeededFuture();
    if (kafka.enabled()) {
      producer = KafkaClients.producer(vertx, kafka);
      outbound = BatchedRequests.serve(vertx, Addresses.NOTIFICATIONS_OUTBOUND, this::outbound);
    }
    return Future.all(
        BatchedRequests.serve(vertx, Addresses.NOTIFICATIONS_PUBLISH, this::publish),
        Bus.serve(vertx, Addresses.NOTIFICATIONS_HISTORY, this::history),
        outbound);
  }

  @Override
  public Future<?> stop() {
    return producer == null ? Future.succeededFuture() : producer.close();
  }

  /**
   * {@code {frames: [...]}} of achievements to the achievements topic, keyed by learner, in order;
   * answered once Kafka holds them all. A frame's learnerId and id identify it, so a consumer
   * drops the copy a retried event may publish again.
   */
  private Future<JsonObject> outbound(JsonObject request) {
    JsonArray frames = request.getJsonArray("frames");
    List<Future<?>> sends = new ArrayList<>(frames.size());
    for (int i = 0; i < frames.size(); i++) {
      JsonObject frame = frames.getJsonObject(i);
      sends.add(producer.send(KafkaProducerRecord.create(kafka.achievementsTopic(), frame.getString("learnerId"),
          frame.encode())));
    }
    return Future.all(sends).map(v -> new JsonObject().put("published", frames.size()));
  }

  /**
   * {@code {frames: [...]}} of committed notifications, oldest first: published to every web
   * instance, together with the frames of the other events of this turn, as one message.
   */
  private Future<JsonObject> publish(JsonObject request) {
    JsonArray frames = request.getJsonArray("frames");
    live.collect().addAll(frames);
    return Future.succeededFuture(new JsonObject().put("published", frames.size()));
  }

  /** {@code {learnerId, after}} to {@code {notifications: [wire...]}} with sequence above {@code after}. */
  private Future<JsonObject> history(JsonObject request) {
    return learners.notificationsAfter(request.getString("learnerId"), request.getLong("after"), MAX_REPLAY)
        .map(list -> new JsonObject().put("notifications", NotificationFrames.frames(list)));
  }
}
