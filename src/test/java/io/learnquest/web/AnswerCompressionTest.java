package io.learnquest.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Which Accept-Encoding headers let an answer go gzip-compressed, and what the compression gives back. */
class AnswerCompressionTest {
  @Test
  void gzipIsSentWhenListedWithAWeightAboveZeroOrWhenAWildcardAllowsIt() {
    for (String accepted : new String[] {"gzip", "GZIP", "gzip, deflate, br", "deflate, gzip;q=0.5", "x-gzip",
        "br;q=1.0, gzip;q=0.001", "*", "br, *;q=0.1", " gzip ; q=1 "}) {
      assertTrue(AnswerCompression.acceptsGzip(accepted), accepted);
    }
  }

  @Test
  void gzipIsNotSentWhenAbsentRefusedOrItsWeightIsNotANumber() {
    for (String refused : new String[] {null, "", "identity", "deflate, br", "gzip;q=0", "gzip;q=0.0",
        "gzip;q=0, *", "*;q=0", "gzip;q=abc", "gzipx", "br, *;q=0"}) {
      assertFalse(AnswerCompression.acceptsGzip(refused), String.valueOf(refused));
    }
  }

  @Test
  void theCompressedBytesGiveBackTheAnswer() throws IOException {
    byte[] raw = "{\"entries\":[\"é ü ✓\"],\"n\":12345}".repeat(100).getBytes(StandardCharsets.UTF_8);
    byte[] compressed = AnswerCompression.gzip(raw);
    assertTrue(compressed.length < raw.length / 4, compressed.length + " of " + raw.length);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      assertArrayEquals(raw, in.readAllBytes());
    }
  }
}
