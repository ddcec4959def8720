package io.learnquest.web;

import io.learnquest.EngineContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 document of every route ({@code src/main/resources/openapi.json}): served at
 * {@code GET /openapi.json}, and the contract requests are validated against.
 */
public final class ApiDocument {
  public static final String RESOURCE = "openapi.json";
  public static final String PATH = "/openapi.json";
  static final String EVENT_STREAM = "text/event-stream";

  private static volatile OpenAPIContract loaded;

  private ApiDocument() {
  }

  /** The document as shipped in the jar (read once; a copy, so callers may not change the original). */
  public static JsonObject json() {
    return Holder.DOCUMENT.copy();
  }

  /** The document's bytes, as served. */
  static Buffer bytes() {
    return Holder.BYTES;
  }

  /**
   * The same bytes gzip-compressed, once: the document is about 100 KB, asked for by anyone.
   * Compressed when first asked for, not when the node starts.
   */
  static Buffer gzipped() {
    return Gzipped.BYTES;
  }

  private static final class Gzipped {
    static final Buffer BYTES = Buffer.buffer(AnswerCompression.gzip(Holder.BYTES.getBytes()));
  }

  /**
   * Parses and checks the document against the OpenAPI 3.1 schema; fails when it is not valid. The
   * check takes about a second of CPU (several when cold), so a parsed contract, which holds no
   * Vert.x instance and never changes, is kept for the life of the process.
   */
  public static Future<OpenAPIContract> contract(Vertx vertx) {
    OpenAPIContract known = loaded;
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return OpenAPIContract.from(vertx, withoutEventStreams(json())).onSuccess(contract -> loaded = contract);
  }

  /**
   * The node's contract: one load shared by every web verticle instance of the node, started by the
   * engine before it deploys the other verticles so that the check runs beside them.
   */
  public static Future<OpenAPIContract> contract(EngineContext context, Vertx vertx) {
    return context.shared(ApiDocument.class.getName(), () -> contract(vertx));
  }

  /**
   * vertx-openapi 5.0 refuses a document that names a media type it cannot validate, and
   * {@code text/event-stream} (the SSE route's answer) is one: the contract it validates against
   * leaves those response contents out. The served document keeps them.
   */
  private static JsonObject withoutEventStreams(JsonObject document) {
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!(item.getValue(method) instanceof JsonObject operation)
            || !(operation.getValue("responses") instanceof JsonObject responses)) {
          continue;
        }
        for (String status : responses.fieldNames()) {
          if (responses.getValue(status) instanceof JsonObject response
              && response.getValue("content") instanceof JsonObject content) {
            content.remove(EVENT_STREAM);
            if (content.isEmpty()) {
              response.remove("content");
            }
          }
        }
      }
    }
    return document;
  }

  private static final class Holder {
    static final JsonObject DOCUMENT = read();
    static final Buffer BYTES = Buffer.buffer(DOCUMENT.encode());

    private static JsonObject read() {
      try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is missing from the classpath");
        }
        return new JsonObject(Buffer.buffer(in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
