package io.learnquest.store;

import io.learnquest.domain.ErrorCodes;

/**
 * How a store refuses or fails, in the store's own terms: the verticle that called it translates
 * the kind into a bus failure ({@code bus/Failure}), and only {@code web} turns that into an HTTP
 * status. Stack-less because it is an answer, not a bug.
 */
public final class StoreException extends RuntimeException {
  /** What went wrong, and whether trying the same call again may pass. */
  public enum Kind {
    /** What was asked for is not there (an unknown learner). Retrying cannot help. */
    NOT_FOUND(ErrorCodes.NOT_FOUND),
    /** A concurrent write got there first (an event already applied, a learner changed). */
    CONFLICT(ErrorCodes.CONFLICT),
    /** The store refused the data for good (it can never hold it); unlike {@link #UNAVAILABLE}. */
    REFUSED(ErrorCodes.STORE_REFUSED),
    /** The backend is down, slow or failing; the same call may pass later. */
    UNAVAILABLE(ErrorCodes.STORE_UNAVAILABLE),
    /** The embedded default reached its configured bound of learners or events. */
    FULL(ErrorCodes.STORE_FULL);

    private final String error;

    Kind(String error) {
      this.error = error;
    }

    /** The named error code of docs/api.md ("Errors") this kind answers with. */
    public String error() {
      return error;
    }
  }

  private final Kind kind;
  private final String field;

  public StoreException(Kind kind, String message) {
    this(kind, message, null);
  }

  public StoreException(Kind kind, String message, String field) {
    super(message, null, false, false);
    this.kind = kind;
    this.field = field;
  }

  public Kind kind() {
    return kind;
  }

  /** The request field the failure is about, or null. */
  public String field() {
    return field;
  }

  public static boolean is(Throwable error, Kind kind) {
    return error instanceof StoreException e && e.kind == kind;
  }
}
