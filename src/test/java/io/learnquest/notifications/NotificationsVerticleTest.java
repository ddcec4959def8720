package io.learnquest.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.config.ConfigLoader;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.progression.Transition;
import io.learnquest.domain.streak.StreakRules;
import io.learnquest.notifications.NotificationsService.Live;
import io.learnquest.notifications.NotificationsService.Publish;
import io.learnquest.store.StoreFactory;
import io.learnquest.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The notifications verticle deployed alone, asked over the bus with its typed messages. */
@ExtendWith(VertxExtension.class)
class NotificationsVerticleTest {
  private static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(AT, ZoneOffset.UTC);

  private static Notification note(String learnerId, long seq) {
    return new Notification(seq, Notification.XP_GRANTED, learnerId, "e-" + seq, AT, Map.of("xp", 10L * seq));
  }

  private static Future<Stores> deploy(Vertx vertx) {
    var config = ConfigLoader.load(Path.of("conf"), Map.of());
    return StoreFactory.create(vertx, config, CLOCK).compose(stores -> vertx.deployVerticle(
        new NotificationsVerticle(new EngineContext(config, stores, CLOCK))).map(stores));
  }

  @Test
  void notificationsPublishedInOneTurnReachTheWebInstancesAsOneLiveMessage(Vertx vertx, VertxTestContext test) {
    List<Live> live = new CopyOnWriteArrayList<>();
    Notification a1 = note("ana", 1);
    Notification a2 = note("ana", 2);
    Notification b1 = note("bo", 1);
    deploy(vertx).compose(stores -> {
      vertx.eventBus().<Live>consumer(Addresses.NOTIFICATIONS_LIVE, m -> live.add(m.body()));
      NotificationsService notifications = new NotificationsService(vertx);
      return Future.<Void>future(p -> vertx.runOnContext(v -> Future.all(
          notifications.publish(new Publish(io.learnquest.domain.Tenants.DEFAULT, List.of(a1, a2))),
          notifications.publish(new Publish(io.learnquest.domain.Tenants.DEFAULT, List.of(b1)))).<Void>mapEmpty().onComplete(p)));
    }).onComplete(test.succeeding(v -> vertx.setTimer(50, t -> test.verify(() -> {
      assertEquals(1, live.size(), "one message for the turn");
      assertEquals(List.of(a1, a2, b1), live.get(0).notifications());
      // on one node the web instances get the committed objects themselves, not copies
      assertSame(a1, live.get(0).notifications().get(0));
      test.completeNow();
    }))));
  }

  @Test
  void theHistoryHoldsTheCommittedNotificationsAfterAGivenSequence(Vertx vertx, VertxTestContext test) {
    Learner before = Learner.fresh("ana", new StreakRules(2).initial());
    List<Transition> due = List.of(new Transition(ProgressionState.ONBOARDING, ProgressionState.DORMANT,
        "inactivity", null, AT));
    List<Notification> committed = List.of(note("ana", 1), note("ana", 2), note("ana", 3));
    Learner after = new Learner("ana", ProgressionState.DORMANT, 0, 1, null, before.streak(), before.counters(), null,
        before.badges(), 1, 3);
    deploy(vertx).compose(stores -> stores.learners().commit(io.learnquest.domain.Tenants.DEFAULT, new EventApplication(null, 0, after, List.of(), null,
            List.of(), due, committed, Map.of(), null)))
        .compose(totals -> {
          NotificationsService notifications = new NotificationsService(vertx);
          return notifications.history(io.learnquest.domain.Tenants.DEFAULT, "ana", 1).compose(afterOne -> notifications.history(io.learnquest.domain.Tenants.DEFAULT, "nobody", 0)
              .map(none -> List.of(afterOne, none)));
        })
        .onComplete(test.succeeding(histories -> test.verify(() -> {
          assertEquals(List.of(2L, 3L), histories.get(0).notifications().stream().map(Notification::seq).toList());
          assertEquals("e-3", histories.get(0).notifications().get(1).eventId());
          assertEquals(List.of(), histories.get(1).notifications());
          test.completeNow();
        })));
  }
}
