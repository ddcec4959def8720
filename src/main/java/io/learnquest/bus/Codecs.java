package io.learnquest.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.shareddata.LocalMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message types of the event bus and their codecs. Every message is a record registered here
 * once per Vert.x instance as the default codec of its class ({@link RecordCodec}): passed by
 * reference on its node, encoded ({@link Wire}) for each node it goes to. A service registers
 * its types before it sends or serves any (registering again is harmless), and the engine
 * registers every service's types when it starts, so a clustered node can read whatever a peer
 * sends it.
 */
public final class Codecs {
  /** Node-local map: the names of the types registered on this Vert.x instance. */
  static final String REGISTERED = "bus.codecs";
  /** Every type registered on any instance, by name: what a batch's tagged items may be. */
  private static final Map<String, Class<?>> TYPES = new ConcurrentHashMap<>();

  private Codecs() {
  }

  /** Registers the default codec of each of {@code types} on {@code vertx}, unless it is there already. */
  public static void register(Vertx vertx, Class<?>... types) {
    synchronized (Codecs.class) {
      LocalMap<String, Boolean> registered = vertx.sharedData().getLocalMap(REGISTERED);
      for (Class<?> type : List.of(Batch.class, Batch.Results.class, Batch.Failed.class)) {
        registerCodec(vertx, registered, type);
      }
      for (Class<?> type : types) {
        requireRecord(type);
        registerCodec(vertx, registered, type);
      }
    }
  }

  /**
   * Registers {@code codec} as the default codec of the record {@code type}, unless one is there
   * already: for a message with a wire form of its own (its codec says why).
   */
  public static <T> void register(Vertx vertx, Class<T> type, MessageCodec<T, T> codec) {
    requireRecord(type);
    synchronized (Codecs.class) {
      registerCodec(vertx, vertx.sharedData().getLocalMap(REGISTERED), type, codec);
    }
  }

  private static void requireRecord(Class<?> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type.getName() + " is not a record; bus messages are");
    }
  }

  private static <T> void registerCodec(Vertx vertx, LocalMap<String, Boolean> registered, Class<T> type) {
    registerCodec(vertx, registered, type, codec(type));
  }

  private static <T> void registerCodec(Vertx vertx, LocalMap<String, Boolean> registered, Class<T> type,
                                        MessageCodec<T, T> codec) {
    TYPES.put(type.getName(), type);
    if (registered.putIfAbsent(type.getName(), true) == null) {
      vertx.eventBus().registerDefaultCodec(type, codec);
    }
  }

  /** The codec of a message type: batches tag their items, every other record is a {@link RecordCodec}. */
  @SuppressWarnings("unchecked")
  static <T> MessageCodec<T, T> codec(Class<T> type) {
    if (type == Batch.class) {
      return (MessageCodec<T, T>) new Batch.Codec();
    }
    if (type == Batch.Results.class) {
      return (MessageCodec<T, T>) new Batch.ResultsCodec();
    }
    return new RecordCodec<>(type);
  }

  /**
   * Appends {@code value} with its type's name, for a container whose items are of several types:
   * {@code [name length][name][value length][value]}, a name length of 0 for null.
   */
  static void writeTagged(Buffer buffer, Object value) {
    if (value == null) {
      buffer.appendShort((short) 0);
      return;
    }
    byte[] name = value.getClass().getName().getBytes(StandardCharsets.UTF_8);
    byte[] bytes = Wire.encode(value);
    buffer.appendShort((short) name.length).appendBytes(name).appendInt(bytes.length).appendBytes(bytes);
  }

  /** The value {@link #writeTagged} wrote at {@code pos}, and where the next one starts. */
  static Tagged readTagged(Buffer buffer, int pos) {
    int nameLength = buffer.getShort(pos);
    pos += 2;
    if (nameLength == 0) {
      return new Tagged(null, pos);
    }
    String name = buffer.getString(pos, pos + nameLength, StandardCharsets.UTF_8.name());
    pos += nameLength;
    Class<?> type = TYPES.get(name);
    if (type == null) {
      throw new IllegalStateException("no message type " + name + " is registered on this node");
    }
    int length = buffer.getInt(pos);
    pos += 4;
    return new Tagged(Wire.decode(buffer.getBytes(pos, pos + length), type), pos + length);
  }

  record Tagged(Object value, int next) {
  }
}
