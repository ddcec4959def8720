package io.learnquest.domain;

/** The "error" values of the JSON error body; clients switch on these, so they never change. */
public final class ErrorCodes {
  public static final String INVALID_JSON = "invalid_json";
  public static final String MISSING_FIELD = "missing_field";
  public static final String INVALID_TYPE = "invalid_type";
  public static final String INVALID_VALUE = "invalid_value";
  /**
   * The request breaks the API document (openapi.json) in a way no more specific code names, or is
   * not valid HTTP at all (the decoder refused it).
   */
  public static final String INVALID_REQUEST = "invalid_request";
  public static final String UNKNOWN_EVENT_TYPE = "unknown_event_type";
  public static final String UNKNOWN_TIMEZONE = "unknown_timezone";
  public static final String OCCURRED_IN_FUTURE = "occurred_in_future";
  public static final String TOO_OLD = "too_old";
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
  public static final String BATCH_TOO_LARGE = "batch_too_large";
  public static final String INVALID_RULE = "invalid_rule";
  /** A text field holds a control character, NUL or a lone surrogate. */
  public static final String INVALID_TEXT = "invalid_text";
  /** A JSON object names the same key twice. */
  public static final String DUPLICATE_KEY = "duplicate_key";
  /** JSON, or a badge rule, nests deeper than its limit. */
  public static final String TOO_DEEP = "too_deep";
  /** A badge rule holds more rules than its limit. */
  public static final String RULE_TOO_LARGE = "rule_too_large";
  /** A path or query holds malformed percent-encoding. */
  public static final String INVALID_ENCODING = "invalid_encoding";
  public static final String URI_TOO_LONG = "uri_too_long";
  public static final String HEADERS_TOO_LARGE = "headers_too_large";
  public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
  public static final String NOT_FOUND = "not_found";
  public static final String UNAUTHORIZED = "unauthorized";
  public static final String CONFLICT = "conflict";
  public static final String FORBIDDEN = "forbidden";
  public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
  public static final String STORE_UNAVAILABLE = "store_unavailable";
  public static final String STORE_REFUSED = "store_refused";
  public static final String STORE_FULL = "store_full";
  public static final String INTERNAL = "internal_error";
  public static final String OVERLOADED = "overloaded";
  /** A rate limit of docs/api.md, "Limits": the key's requests per second, or the learner's events per minute. */
  public static final String RATE_LIMITED = "rate_limited";
  /** A learner holds {@code limits.connectionsPerLearner} live push connections already. */
  public static final String TOO_MANY_CONNECTIONS = "too_many_connections";
  public static final String SHUTTING_DOWN = "shutting_down";

  private ErrorCodes() {
  }
}
