package io.learnquest.domain;

/**
 * Input that the engine refuses: carries the machine-readable error code and the JSON path of the
 * offending field (null when the whole input is at fault), as docs/api.md ("Errors") describes.
 */
public final class InvalidInputException extends RuntimeException {
  private final String code;
  private final String field;

  public InvalidInputException(String code, String message, String field) {
    super(message, null, false, false);
    this.code = code;
    this.field = field;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }
}
