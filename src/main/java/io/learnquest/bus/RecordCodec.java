package io.learnquest.bus;

import io.vertx.core.buffer.Buffer;

/**
 * The codec of one message type, a record: handed over by reference on its node (message records
 * copy their lists and maps unmodifiable when built), in its {@link Wire} form to another node.
 * Vert.x encodes a message for each node it goes to: once for a send, once per receiving node for
 * a publish.
 */
final class RecordCodec<T> extends ByReferenceCodec<T> {
  private final Class<T> type;

  RecordCodec(Class<T> type) {
    super(type);
    this.type = type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    byte[] bytes = Wire.encode(value);
    buffer.appendInt(bytes.length);
    buffer.appendBytes(bytes);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return Wire.decode(buffer.getBytes(pos + 4, pos + 4 + length), type);
  }
}
