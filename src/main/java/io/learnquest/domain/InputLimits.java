package io.learnquest.domain;

import java.time.Instant;

/**
 * The one definition of every limit on what a client may send, whichever way it arrives (REST,
 * batch, the Kafka events topic, the badge admin routes, {@code conf/badges.json}). Each limit
 * keeps out something a store cannot hold or a reader cannot survive: PostgreSQL refuses NUL in
 * text and instants outside its range, a lone surrogate cannot be written as UTF-8, and a deeply
 * nested rule overflows the stack of whoever encodes or evaluates it.
 */
public final class InputLimits {
  /**
   * The earliest {@code occurredAt} accepted. Learning platforms did not exist before it, and it
   * keeps every instant well inside what PostgreSQL's timestamptz (4713 BC to 294276 AD) and Java's
   * {@link Instant} both represent.
   */
  public static final Instant EARLIEST_OCCURRED_AT = Instant.EPOCH;
  /**
   * The latest instant any input may carry, whatever the clock says: the future bound of events
   * (5 minutes after now) is far below it, and it is a four-digit year for every reader.
   */
  public static final Instant LATEST_INSTANT = Instant.parse("9999-12-31T23:59:59Z");
  /** How deep a JSON document (request body or Kafka record value) may nest, all levels counted. */
  public static final int MAX_JSON_DEPTH = 100;
  /** How deep a badge rule may nest, counted in rules ({@code {"not": {"not": ...}}} is two). */
  public static final int MAX_RULE_DEPTH = 32;
  /** How many rules (combinators included) one badge rule may hold. */
  public static final int MAX_RULE_NODES = 256;
  public static final int MAX_BADGE_NAME_CHARS = 200;
  public static final int MAX_BADGE_DESCRIPTION_CHARS = 2_000;
  public static final int MAX_URL_CHARS = 2_048;

  private InputLimits() {
  }

  /**
   * Why {@code text} cannot be stored as a one-line text field, or null when it can: a control
   * character (NUL, the C0 and C1 ranges, DEL) or a lone UTF-16 surrogate.
   */
  public static String textProblem(String text) {
    return problem(text, false);
  }

  /** The same, allowing line breaks and tabs (for a description). */
  public static String multilineTextProblem(String text) {
    return problem(text, true);
  }

  /** Refuses {@code text} with {@link ErrorCodes#INVALID_TEXT} naming {@code field}, unless it is clean. */
  public static String requireText(String text, String field) {
    return require(text, field, false);
  }

  public static String requireMultilineText(String text, String field) {
    return require(text, field, true);
  }

  private static String require(String text, String field, boolean multiline) {
    String problem = problem(text, multiline);
    if (problem != null) {
      throw new InvalidInputException(ErrorCodes.INVALID_TEXT, field + " " + problem, field);
    }
    return text;
  }

  private static String problem(String text, boolean multiline) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return "holds a lone surrogate at position " + i;
      }
      if (Character.isLowSurrogate(c)) {
        return "holds a lone surrogate at position " + i;
      }
      if (Character.getType(c) == Character.CONTROL && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
        return c == 0 ? "holds a NUL character at position " + i
            : String.format("holds the control character U+%04X at position %d", (int) c, i);
      }
    }
    return null;
  }

  /** Whether an instant lies within what every store and reader of the engine holds. */
  public static boolean representable(Instant at) {
    return !at.isBefore(EARLIEST_OCCURRED_AT) && !at.isAfter(LATEST_INSTANT);
  }
}
