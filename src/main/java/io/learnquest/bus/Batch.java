package io.learnquest.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Many requests to one address as one message ({@link RequestBatcher}), answered by one
 * {@link Results} in the same order: each item's reply, or its {@link Failed} failure.
 */
public record Batch(List<Object> items) {
  public Batch {
    items = List.copyOf(items);
  }

  /** The replies, in the order of the items; an item answered with nothing has null. */
  public record Results(List<Object> results) {
    public Results {
      results = Collections.unmodifiableList(new ArrayList<>(results));
    }
  }

  /** One item's failure: its bus failure code and its JSON error body. */
  public record Failed(int code, String body) {
    Failure.EngineException exception() {
      return Failure.fromBody(code, new JsonObject(body));
    }

    static Failed of(Throwable cause) {
      Failure.EngineException e = Failure.from(cause);
      return new Failed(e.failure().code(), e.body().encode());
    }
  }

  /** Items of several types: each travels with its type's name. */
  static final class Codec extends ByReferenceCodec<Batch> {
    Codec() {
      super(Batch.class);
    }

    @Override
    public void encodeToWire(Buffer buffer, Batch batch) {
      buffer.appendInt(batch.items().size());
      batch.items().forEach(item -> Codecs.writeTagged(buffer, item));
    }

    @Override
    public Batch decodeFromWire(int pos, Buffer buffer) {
      int n = buffer.getInt(pos);
      List<Object> items = new ArrayList<>(n);
      int at = pos + 4;
      for (int i = 0; i < n; i++) {
        Codecs.Tagged tagged = Codecs.readTagged(buffer, at);
        items.add(tagged.value());
        at = tagged.next();
      }
      return new Batch(items);
    }
  }

  static final class ResultsCodec extends ByReferenceCodec<Results> {
    ResultsCodec() {
      super(Results.class);
    }

    @Override
    public void encodeToWire(Buffer buffer, Results results) {
      buffer.appendInt(results.results().size());
      results.results().forEach(result -> Codecs.writeTagged(buffer, result));
    }

    @Override
    public Results decodeFromWire(int pos, Buffer buffer) {
      int n = buffer.getInt(pos);
      List<Object> results = new ArrayList<>(n);
      int at = pos + 4;
      for (int i = 0; i < n; i++) {
        Codecs.Tagged tagged = Codecs.readTagged(buffer, at);
        results.add(tagged.value());
        at = tagged.next();
      }
      return new Results(results);
    }
  }
}
