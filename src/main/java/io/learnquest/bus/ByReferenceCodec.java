package io.learnquest.bus;

import io.vertx.core.eventbus.MessageCodec;

/**
 * What every codec of the engine's messages shares: on its node a message is handed over as it
 * is (the receiver gets the sender's own object, safe because message records are immutable),
 * and the codec is named after the message's type. A subclass says only how the message travels
 * to another node.
 */
public abstract class ByReferenceCodec<T> implements MessageCodec<T, T> {
  private final String name;

  protected ByReferenceCodec(Class<T> type) {
    this.name = type.getName();
  }

  @Override
  public final T transform(T value) {
    return value;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
