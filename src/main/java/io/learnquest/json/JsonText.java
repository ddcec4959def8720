package io.learnquest.json;

import io.learnquest.time.Instants;
import java.time.Instant;

/**
 * A JSON writer to text, for the documents written on every event (the learner, the outcome, the
 * notifications, the event): it writes what Jackson's generator writes for the same calls, with the
 * same escapes ({@code \"}, {@code \\}, {@code \b \t \n \f \r}, <code>&#92;u00XX</code> for the other control
 * characters, every other character as it is) and the same numbers, straight into one
 * {@link StringBuilder}. Jackson's generator copied each string into its own buffer, scanned it there,
 * and then built the text from that buffer again: about a tenth of the node's CPU per event.
 */
final class JsonText {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  /** The largest builder a thread keeps for its next text. */
  private static final int KEPT_CAPACITY = 16 * 1024;
  /**
   * Each thread's builder, used again for its next text (every event writes several): a new one of
   * a kilobyte each time was garbage the collector then had to clear.
   */
  private static final ThreadLocal<StringBuilder> BUILDERS = ThreadLocal.withInitial(() -> new StringBuilder(1024));
  private final StringBuilder out;
  /** Whether the last thing written was a value (so the next value or name needs a comma first). */
  private boolean afterValue;
  /**
   * Whether a character beyond Latin-1 was written: the builder then holds two bytes a character,
   * and keeps doing so once emptied, so the thread takes a new one.
   */
  private boolean wide;

  /** A field name, quoted, escaped and followed by its colon once, for names written on every event. */
  static final class Name {
    private final String text;

    Name(String name) {
      JsonText quoted = new JsonText(name.length() + 3);
      quoted.string(name);
      this.text = quoted.out.append(':').toString();
    }
  }

  private JsonText(int capacity) {
    this.out = new StringBuilder(capacity);
  }

  private JsonText(StringBuilder out) {
    this.out = out;
  }

  /**
   * What {@code writer} writes, as text, written in this thread's builder. Not re-entrant: nothing
   * written here writes a text of its own meanwhile.
   */
  static String write(java.util.function.Consumer<JsonText> writer) {
    StringBuilder builder = BUILDERS.get();
    builder.setLength(0);
    JsonText text = new JsonText(builder);
    writer.accept(text);
    String written = builder.toString();
    if (text.wide || builder.capacity() > KEPT_CAPACITY) {
      BUILDERS.set(new StringBuilder(1024));
    }
    return written;
  }

  void beginObject() {
    open('{');
  }

  void endObject() {
    close('}');
  }

  void beginArray() {
    open('[');
  }

  void endArray() {
    close(']');
  }

  private void open(char bracket) {
    separate();
    out.append(bracket);
    afterValue = false;
  }

  private void close(char bracket) {
    out.append(bracket);
    afterValue = true;
  }

  void name(Name name) {
    separate();
    out.append(name.text);
    afterValue = false;
  }

  void name(String name) {
    separate();
    string(name);
    out.append(':');
    afterValue = false;
  }

  /** A text, or null. */
  void value(String text) {
    if (text == null) {
      nullValue();
      return;
    }
    separate();
    string(text);
    afterValue = true;
  }

  /** An instant as its ISO-8601 text ({@link Instants#text}), or null. */
  void value(Instant at) {
    if (at == null) {
      nullValue();
    } else {
      plainValue(Instants.text(at));
    }
  }

  /**
   * Text that never needs an escape, as it is (an instant's ISO-8601 text, an enum constant's name,
   * a Java identifier): no scan.
   */
  void plainValue(String text) {
    separate();
    out.append('"').append(text).append('"');
    afterValue = true;
  }

  void value(long number) {
    separate();
    out.append(number);
    afterValue = true;
  }

  void value(boolean b) {
    separate();
    out.append(b);
    afterValue = true;
  }

  void nullValue() {
    separate();
    out.append("null");
    afterValue = true;
  }

  /** As Jackson writes a double: its shortest text, and NaN or an infinity quoted. */
  void value(double number) {
    if (Double.isFinite(number)) {
      raw(Double.toString(number));
    } else {
      value(Double.toString(number));
    }
  }

  void value(float number) {
    if (Float.isFinite(number)) {
      raw(Float.toString(number));
    } else {
      value(Float.toString(number));
    }
  }

  /** A number's own text, unquoted (a BigDecimal's or a BigInteger's {@code toString}, as Jackson writes them). */
  void raw(String number) {
    separate();
    out.append(number);
    afterValue = true;
  }

  private void separate() {
    if (afterValue) {
      out.append(',');
    }
  }

  private void string(String text) {
    out.append('"');
    int length = text.length();
    int from = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        out.append(text, from, i);
        escape(c);
        from = i + 1;
      } else if (c > 0xFF) {
        wide = true;
      }
    }
    if (from == 0) {
      out.append(text); // the common case, nothing escaped: one copy of the whole text
    } else {
      out.append(text, from, length);
    }
    out.append('"');
  }

  private void escape(char c) {
    out.append('\\');
    switch (c) {
      case '"', '\\' -> out.append(c);
      case '\b' -> out.append('b');
      case '\t' -> out.append('t');
      case '\n' -> out.append('n');
      case '\f' -> out.append('f');
      case '\r' -> out.append('r');
      default -> out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
    }
  }
}
