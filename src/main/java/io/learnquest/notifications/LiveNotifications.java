package io.learnquest.notifications;

import io.learnquest.bus.ByReferenceCodec;
import io.learnquest.bus.Wire;
import io.learnquest.domain.notification.Notification;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The notifications of a {@link NotificationsService.Live} message, in a form that is cheap to fan
 * out to every node: each one travels as its own bytes behind its learnerId, is encoded once however
 * many nodes it goes to, and is decoded on a receiving node only when asked for, i.e. only where a
 * learner of it has a push connection. Every node receives every live message (a web instance does
 * not know which learners the others serve), and decoding all of them on every node was a few
 * percent of each clustered node's CPU. Immutable: the lazily made parts are the same whoever makes them first, so
 * the instance may be read from several event loops at once (a published message is shared by
 * reference on its node).
 */
final class LiveNotifications extends AbstractList<Notification> implements RandomAccess {
  private final String[] learnerIds;
  /** Decoded notifications: all of them when made on this node, filled on demand when read from the wire. */
  private final Notification[] decoded;
  /** Each notification's wire form: read from the wire, or made on first encoding. */
  private volatile byte[][] wire;

  private LiveNotifications(String[] learnerIds, Notification[] decoded, byte[][] wire) {
    this.learnerIds = learnerIds;
    this.decoded = decoded;
    this.wire = wire;
  }

  static LiveNotifications of(List<Notification> notifications) {
    if (notifications instanceof LiveNotifications live) {
      return live;
    }
    Notification[] all = notifications.toArray(new Notification[0]);
    String[] learnerIds = new String[all.length];
    for (int i = 0; i < all.length; i++) {
      learnerIds[i] = all[i].learnerId();
    }
    return new LiveNotifications(learnerIds, all, null);
  }

  /** The learner of notification {@code index}, without decoding it. */
  String learnerId(int index) {
    return learnerIds[index];
  }

  @Override
  public Notification get(int index) {
    Notification n = decoded[index];
    if (n == null) {
      n = Wire.decode(wire[index], Notification.class);
      decoded[index] = n;
    }
    return n;
  }

  @Override
  public int size() {
    return learnerIds.length;
  }

  /** {@code [count]} then, for each, {@code [learnerId length][learnerId][length][notification]}. */
  void write(Buffer buffer) {
    byte[][] bytes = wire;
    if (bytes == null) {
      bytes = new byte[decoded.length][];
      for (int i = 0; i < decoded.length; i++) {
        bytes[i] = Wire.encode(decoded[i]);
      }
      wire = bytes;
    }
    buffer.appendInt(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      byte[] learnerId = learnerIds[i].getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(learnerId.length).appendBytes(learnerId).appendInt(bytes[i].length).appendBytes(bytes[i]);
    }
  }

  /** What {@link #write} wrote at {@code pos}: the learnerIds read, the notifications left as bytes. */
  static LiveNotifications read(Buffer buffer, int pos) {
    int n = buffer.getInt(pos);
    pos += 4;
    String[] learnerIds = new String[n];
    byte[][] bytes = new byte[n][];
    for (int i = 0; i < n; i++) {
      int length = buffer.getInt(pos);
      learnerIds[i] = buffer.getString(pos + 4, pos + 4 + length, StandardCharsets.UTF_8.name());
      pos += 4 + length;
      length = buffer.getInt(pos);
      bytes[i] = buffer.getBytes(pos + 4, pos + 4 + length);
      pos += 4 + length;
    }
    return new LiveNotifications(learnerIds, new Notification[n], bytes);
  }

  /** The codec of {@link NotificationsService.Live}: {@code [tenant length][tenant]} then the notifications. */
  static final class Codec extends ByReferenceCodec<NotificationsService.Live> {
    Codec() {
      super(NotificationsService.Live.class);
    }

    @Override
    public void encodeToWire(Buffer buffer, NotificationsService.Live live) {
      byte[] tenant = live.tenant().getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(tenant.length).appendBytes(tenant);
      LiveNotifications.of(live.notifications()).write(buffer);
    }

    @Override
    public NotificationsService.Live decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      String tenant = buffer.getString(pos + 4, pos + 4 + length, StandardCharsets.UTF_8.name());
      return new NotificationsService.Live(tenant, read(buffer, pos + 4 + length));
    }
  }
}
