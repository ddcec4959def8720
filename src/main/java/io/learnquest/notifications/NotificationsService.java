package io.learnquest.notifications;

import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Codecs;
import io.learnquest.bus.RequestBatcher;
import io.learnquest.domain.notification.Notification;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The notifications verticle as its callers see it: typed messages over the event bus. The rules
 * hand it each commit's notifications ({@link #publish}); it publishes them to every web instance
 * of every node as {@link Live} on {@code notifications.live}; reconnecting clients replay from
 * the retained {@link #history}; in Kafka mode {@link #outbound} puts achievements on the outbound
 * topic. One instance belongs to the verticle instance that made it.
 */
public final class NotificationsService {
  static final int PUBLISH_BATCH = 500;
  static final int PUBLISH_IN_FLIGHT = 2;

  /** Committed notifications of learners of {@code tenant}, oldest first, to fan out. */
  public record Publish(String tenant, List<Notification> notifications) {
    public Publish {
      notifications = List.copyOf(notifications);
    }
  }

  /**
   * Published to every web instance: the notifications of learners of {@code tenant} committed in
   * one turn, to push live to that tenant's learners only. Across nodes each notification is
   * decoded only when asked for ({@link LiveNotifications}): {@link #forEach} gives those of the
   * learners a web instance serves.
   */
  public record Live(String tenant, List<Notification> notifications) {
    public Live {
      notifications = LiveNotifications.of(notifications);
    }

    /** Each notification, in order, of a learner {@code served} accepts; the others are never decoded. */
    public void forEach(Predicate<String> served, Consumer<Notification> action) {
      LiveNotifications all = (LiveNotifications) notifications;
      for (int i = 0; i < all.size(); i++) {
        if (served.test(all.learnerId(i))) {
          action.accept(all.get(i));
        }
      }
    }
  }

  /** The learner's retained notifications with a sequence number above {@code after}. */
  public record HistoryQuery(String tenant, String learnerId, long after) {
  }

  public record History(List<Notification> notifications) {
    public History {
      notifications = List.copyOf(notifications);
    }
  }

  /** Kafka mode: achievements of learners of {@code tenant} for the outbound topic, in order. */
  public record Achievements(String tenant, List<Notification> notifications) {
    public Achievements {
      notifications = List.copyOf(notifications);
    }
  }

  private final Vertx vertx;
  private RequestBatcher<Publish, Void> publishes;
  private RequestBatcher<Achievements, Void> achievements;

  public NotificationsService(Vertx vertx) {
    registerCodecs(vertx);
    this.vertx = vertx;
  }

  public static void registerCodecs(Vertx vertx) {
    Codecs.register(vertx, Publish.class, HistoryQuery.class, History.class, Achievements.class);
    Codecs.register(vertx, Live.class, new LiveNotifications.Codec());
  }

  /** Answered once the notifications are published to the web instances. */
  public Future<Void> publish(Publish notifications) {
    if (publishes == null) {
      publishes = new RequestBatcher<>(vertx, Addresses.NOTIFICATIONS_PUBLISH, PUBLISH_BATCH, PUBLISH_IN_FLIGHT);
    }
    return publishes.request(notifications);
  }

  /** Answered once Kafka holds them all. */
  public Future<Void> outbound(Achievements notifications) {
    if (achievements == null) {
      achievements = new RequestBatcher<>(vertx, Addresses.NOTIFICATIONS_OUTBOUND, PUBLISH_BATCH, PUBLISH_IN_FLIGHT);
    }
    return achievements.request(notifications);
  }

  public Future<History> history(String tenant, String learnerId, long after) {
    return Bus.ask(vertx, Addresses.NOTIFICATIONS_HISTORY, new HistoryQuery(tenant, learnerId, after));
  }
}
