package io.learnquest.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Ends a response with its body, gzip-compressed when the body is {@link #MIN_BYTES} or more and the
 * client accepts gzip ({@code Accept-Encoding}); such a body also says {@code Vary: Accept-Encoding}.
 * A smaller body goes as it is: compressing an event's answer of a few hundred bytes costs more
 * than the bytes it saves.
 *
 * <p>The HTTP server's own compression is off: it put two handlers in every connection's pipeline,
 * which every answer went through (about one and a half per cent of the node's CPU per event), and
 * compressed every answer, however small, for any client that sends {@code Accept-Encoding: gzip}
 * (most HTTP libraries do). Live push (SSE, WebSocket) is not compressed.
 */
final class AnswerCompression {
  /** The smallest body worth compressing: below it, a compressed body is barely smaller. */
  static final int MIN_BYTES = 1024;
  private static final CharSequence GZIP = HttpHeaders.createOptimized("gzip");

  private AnswerCompression() {
  }

  static void end(RoutingContext ctx, String body) {
    // a character is at most three bytes (a pair of surrogates four): a text this short is never
    // worth encoding first
    if (body.length() * 3L < MIN_BYTES) {
      ctx.response().end(body);
    } else {
      end(ctx, Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)), null);
    }
  }

  /** {@code gzipped}: the body compressed already (a document served as it is), or null. */
  static void end(RoutingContext ctx, Buffer body, Buffer gzipped) {
    HttpServerResponse response = ctx.response();
    if (body.length() < MIN_BYTES) {
      response.end(body);
      return;
    }
    response.headers().add(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING); // beside a CORS answer's Vary: Origin
    if (!acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING))) {
      response.end(body);
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_ENCODING, GZIP);
    response.end(gzipped != null ? gzipped : Buffer.buffer(gzip(body.getBytes())));
  }

  /**
   * Whether an {@code Accept-Encoding} header lets gzip be sent: {@code gzip} (or {@code x-gzip})
   * listed, or else {@code *}, with a weight other than 0 ({@code q=0} refuses it; a weight that is
   * not a number counts as a refusal).
   */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    Boolean anyOther = null;
    for (String entry : acceptEncoding.split(",")) {
      String[] parts = entry.split(";");
      String coding = parts[0].trim().toLowerCase(Locale.ROOT);
      boolean wanted = wanted(parts);
      if (coding.equals("gzip") || coding.equals("x-gzip")) {
        return wanted;
      }
      if (coding.equals("*")) {
        anyOther = wanted;
      }
    }
    return Boolean.TRUE.equals(anyOther);
  }

  private static boolean wanted(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
          && parameter.charAt(1) == '=') {
        try {
          return Double.parseDouble(parameter.substring(2).trim()) > 0;
        } catch (NumberFormatException notAWeight) {
          return false;
        }
      }
    }
    return true;
  }

  static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(raw.length / 4 + 64);
    try (GZIPOutputStream out = new GZIPOutputStream(compressed, 8192)) {
      out.write(raw);
    } catch (IOException inMemory) {
      throw new UncheckedIOException(inMemory); // a ByteArrayOutputStream does not fail
    }
    return compressed.toByteArray();
  }
}
