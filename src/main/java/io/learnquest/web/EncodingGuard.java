package io.learnquest.web;

import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.vertx.ext.web.RoutingContext;

/**
 * The first handler of every route: refuses a request whose path or query holds malformed
 * percent-encoding ({@code %zz}, a lone {@code %}) with 400 {@code invalid_encoding}, before a
 * route match or a parameter read would decode it and throw (which answered 500 and logged a
 * stack trace for a client's typo).
 */
final class EncodingGuard {
  private EncodingGuard() {
  }

  static void check(RoutingContext ctx) {
    String uri = ctx.request().uri();
    int bad = malformedAt(uri);
    if (bad >= 0) {
      int query = uri.indexOf('?');
      String where = query >= 0 && bad > query ? "query" : "path";
      HttpErrors.json(ctx, 400, Failure.body(ErrorCodes.INVALID_ENCODING,
          "the " + where + " holds malformed percent-encoding at character " + bad
              + ": a % must be followed by two hexadecimal digits", where));
      return;
    }
    ctx.next();
  }

  /** The index of the first {@code %} not followed by two hexadecimal digits, or -1. */
  static int malformedAt(String uri) {
    for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
      if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0
          || Character.digit(uri.charAt(i + 2), 16) < 0) {
        return i;
      }
    }
    return -1;
  }
}
