package io.learnquest.notifications;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.RequestBatcher;
import io.learnquest.domain.notification.Notification;
import io.learnquest.notifications.NotificationsService.Achievements;
import io.learnquest.notifications.NotificationsService.History;
import io.learnquest.notifications.NotificationsService.HistoryQuery;
import io.learnquest.notifications.NotificationsService.Live;
import io.learnquest.notifications.NotificationsService.Publish;
import io.learnquest.bus.TurnBatch;
import io.learnquest.config.EngineConfig.KafkaSettings;
import io.learnquest.json.NotificationFrames;
import io.learnquest.kafka.EventRecords;
import io.learnquest.kafka.KafkaClients;
import io.learnquest.kafka.RecordSender;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
  private RecordSender sender;
  /** Notifications published to the web instances once per event-loop turn, one message per tenant. */
  private TurnBatch<Map<String, List<Notification>>> live;

  public NotificationsVerticle(EngineContext context) {
    this.learners = context.stores().learners();
    this.kafka = context.config().kafka();
  }

  @Override
  public Future<?> start() {
    NotificationsService.registerCodecs(vertx);
    live = new TurnBatch<>(context, LinkedHashMap::new, byTenant -> byTenant.forEach((tenant, notifications) ->
        vertx.eventBus().publish(Addresses.NOTIFICATIONS_LIVE, new Live(tenant, notifications))));
    Future<?> outbound = Future.succeededFuture();
    if (kafka.enabled()) {
      producer = KafkaClients.producer(vertx, kafka);
      sender = new RecordSender(vertx, producer);
      outbound = RequestBatcher.serve(vertx, Addresses.NOTIFICATIONS_OUTBOUND, this::outbound);
    }
    return Future.all(
        RequestBatcher.serve(vertx, Addresses.NOTIFICATIONS_PUBLISH, this::publish),
        Bus.answer(vertx, Addresses.NOTIFICATIONS_HISTORY, this::history),
        outbound);
  }

  @Override
  public Future<?> stop() {
    return producer == null ? Future.succeededFuture() : producer.close();
  }

  /**
   * Achievements to the achievements topic, keyed by tenant and learner ({@link EventRecords#key},
   * the tenant in a header too), in order, each as its frame; answered once Kafka holds them all. A
   * frame's tenant, learnerId and id identify it, so a consumer drops the copy a retried event may
   * publish again.
   */
  private Future<Void> outbound(Achievements request) {
    List<KafkaProducerRecord<String, String>> records = new ArrayList<>(request.notifications().size());
    for (Notification n : request.notifications()) {
      records.add(KafkaProducerRecord.create(kafka.achievementsTopic(),
              EventRecords.key(request.tenant(), n.learnerId()), NotificationFrames.text(n))
          .addHeader(EventRecords.TENANT_HEADER, request.tenant()));
    }
    return sender.send(records).compose(sent -> sent.firstError() == null ? Future.<Void>succeededFuture()
        : Future.failedFuture(sent.firstError()));
  }

  /**
   * Committed notifications, oldest first: published to every web instance, together with those of
   * the other events of this turn, as one message.
   */
  private Future<Void> publish(Publish request) {
    live.collect().computeIfAbsent(request.tenant(), t -> new ArrayList<>()).addAll(request.notifications());
    return Future.succeededFuture();
  }

  /** The learner's retained notifications with a sequence number above {@code after}, at most {@link #MAX_REPLAY}. */
  private Future<History> history(HistoryQuery request) {
    return learners.notificationsAfter(request.tenant(), request.learnerId(), request.after(), MAX_REPLAY)
        .map(History::new);
  }
}
