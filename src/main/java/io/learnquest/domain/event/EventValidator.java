package io.learnquest.domain.event;

import static io.learnquest.domain.ErrorCodes.INVALID_TYPE;
import static io.learnquest.domain.ErrorCodes.INVALID_VALUE;
import static io.learnquest.domain.ErrorCodes.MISSING_FIELD;

import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.IdShape;
import io.learnquest.domain.InputLimits;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.time.Instants;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/**
 * Turns a decoded JSON object into a {@link LearningEvent} or refuses it with the first problem
 * found (docs/api.md, "Events"). Pure: "now" is an argument.
 */
public final class EventValidator {
  static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);
  private static final Set<String> IANA_ZONES = ZoneId.getAvailableZoneIds();
  public static final int DEFAULT_DIFFICULTY = 2;

  private final EventTypes types;
  /** Events that happened longer ago than this before receipt are refused (fair play, too_old). */
  private final Duration maxAge;

  public EventValidator(EventTypes types, Duration maxAge) {
    this.types = types;
    this.maxAge = maxAge;
  }

  public static boolean isValidLearnerId(String value) {
    return IdShape.LEARNER_ID.matches(value);
  }

  public static boolean isValidEventId(String value) {
    return IdShape.EVENT_ID.matches(value);
  }

  /** True for IANA region ids such as {@code Asia/Tokyo} or {@code UTC}; raw offsets are refused. */
  public static boolean isKnownZone(String zone) {
    return zone != null && IANA_ZONES.contains(zone);
  }

  public LearningEvent validate(Map<String, Object> json, Instant now) {
    String eventId = requiredString(json, "eventId");
    if (!IdShape.EVENT_ID.matches(eventId)) {
      throw invalid(IdShape.EVENT_ID.refusal("eventId"), "eventId");
    }
    String learnerId = requiredString(json, "learnerId");
    if (!IdShape.LEARNER_ID.matches(learnerId)) {
      throw invalid(IdShape.LEARNER_ID.refusal("learnerId"), "learnerId");
    }
    String type = requiredString(json, "type");
    EventTypeSpec spec = types.find(type).orElseThrow(() -> new InvalidInputException(
        ErrorCodes.UNKNOWN_EVENT_TYPE, "unknown event type '" + type + "'; known types: "
        + String.join(", ", types.names()), "type"));

    Instant occurredAt = now;
    String occurredText = optionalString(json, "occurredAt");
    if (occurredText != null) {
      try {
        occurredAt = Instants.parseWithOffset(occurredText);
      } catch (DateTimeParseException e) {
        throw invalid("occurredAt must be an ISO-8601 instant with offset, e.g. 2026-11-27T23:59:00+09:00",
            "occurredAt");
      }
      if (occurredAt.isAfter(now.plus(MAX_FUTURE_SKEW)) || occurredAt.isAfter(InputLimits.LATEST_INSTANT)) {
        throw new InvalidInputException(ErrorCodes.OCCURRED_IN_FUTURE,
            "occurredAt is more than 5 minutes in the future", "occurredAt");
      }
      if (occurredAt.isBefore(InputLimits.EARLIEST_OCCURRED_AT)) {
        throw new InvalidInputException(ErrorCodes.TOO_OLD,
            "occurredAt must not be earlier than " + InputLimits.EARLIEST_OCCURRED_AT, "occurredAt");
      }
      if (occurredAt.isBefore(now.minus(maxAge))) {
        throw new InvalidInputException(ErrorCodes.TOO_OLD, "occurredAt is more than " + maxAge.toDays()
            + " days before receipt; events that old are not accepted", "occurredAt");
      }
    }

    String timezone = optionalString(json, "timezone");
    if (timezone != null && !isKnownZone(timezone)) {
      throw new InvalidInputException(ErrorCodes.UNKNOWN_TIMEZONE,
          "timezone must be an IANA zone id such as Asia/Tokyo", "timezone");
    }
    String courseId = optionalId(json, "courseId");
    String objectId = optionalId(json, "objectId");
    String objectRequired = BuiltInType.find(type).map(BuiltInType::objectRequired).orElse(null);
    if (objectId == null && objectRequired != null) {
      throw new InvalidInputException(MISSING_FIELD, "objectId (" + objectRequired + ") is required for " + type,
          "objectId");
    }

    Integer score = optionalInt(json, "score", 0, 100);
    if (score == null && spec.scoreRequired()) {
      throw new InvalidInputException(MISSING_FIELD, "score is required for " + type, "score");
    }
    Integer difficulty = optionalInt(json, "difficulty", 1, 5);
    Boolean timeBonus = optionalBoolean(json, "timeBonus");

    return new LearningEvent(eventId, learnerId, type, occurredAt, timezone, courseId, objectId,
        score, difficulty == null ? DEFAULT_DIFFICULTY : difficulty, Boolean.TRUE.equals(timeBonus));
  }

  private static String requiredString(Map<String, Object> json, String field) {
    String value = optionalString(json, field);
    if (value == null) {
      throw new InvalidInputException(MISSING_FIELD, field + " is required", field);
    }
    return value;
  }

  private static String optionalString(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new InvalidInputException(INVALID_TYPE, field + " must be a string", field);
    }
    return InputLimits.requireText(text, field);
  }

  private static String optionalId(Map<String, Object> json, String field) {
    String value = optionalString(json, field);
    if (value != null && !IdShape.LEARNER_ID.matches(value)) {
      throw invalid(IdShape.LEARNER_ID.refusal(field), field);
    }
    return value;
  }

  private static Integer optionalInt(Map<String, Object> json, String field, int min, int max) {
    Object value = json.get(field);
    if (value == null) {
      return null;
    }
    long whole;
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      whole = ((Number) value).longValue();
    } else if (value instanceof BigInteger) {
      throw invalid(field + " must be between " + min + " and " + max, field);
    } else if (value instanceof Number) {
      // 85.0 or 85.5 is not an integer in the API's sense; refuse rather than round.
      throw new InvalidInputException(INVALID_TYPE, field + " must be an integer", field);
    } else {
      throw new InvalidInputException(INVALID_TYPE, field + " must be an integer", field);
    }
    if (whole < min || whole > max) {
      throw invalid(field + " must be between " + min + " and " + max, field);
    }
    return (int) whole;
  }

  private static Boolean optionalBoolean(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Boolean flag)) {
      throw new InvalidInputException(INVALID_TYPE, field + " must be a boolean", field);
    }
    return flag;
  }

  private static InvalidInputException invalid(String message, String field) {
    return new InvalidInputException(INVALID_VALUE, message, field);
  }
}
