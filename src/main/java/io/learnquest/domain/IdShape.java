package io.learnquest.domain;

/**
 * The shape of an identifier: 1 to {@code maxLength} characters, each from one small ASCII set. One
 * place for every kind of id the engine accepts. Checked by a table of the allowed characters: the
 * regular expressions it replaces took about 1 % of a node's CPU per event (an event carries two to
 * four ids).
 */
public final class IdShape {
  /** Event ids, badge ids and request ids: {@code A-Z a-z 0-9 . _ : -}, at most 128. */
  public static final IdShape EVENT_ID = new IdShape("A-Za-z0-9._:-", 128);
  /** Learner, course and object ids: those of an event id and {@code @}, at most 128. */
  public static final IdShape LEARNER_ID = new IdShape("A-Za-z0-9._:@-", 128);
  /** Tenant ids: {@code a-z 0-9 -}, at most 40. */
  public static final IdShape TENANT_ID = new IdShape("a-z0-9-", 40);

  private final boolean[] allowed = new boolean[128];
  private final int maxLength;
  /** The shape in words, for refusals: "1 to 128 characters of A-Z a-z 0-9 . _ : -". */
  private final String described;

  /**
   * @param characters the allowed characters as a regular expression's class body would list them:
   *     single characters and ranges {@code a-z}; a {@code -} first or last is itself
   */
  IdShape(String characters, int maxLength) {
    this.maxLength = maxLength;
    StringBuilder words = new StringBuilder("1 to ").append(maxLength).append(" characters of");
    for (int i = 0; i < characters.length(); i++) {
      char from = characters.charAt(i);
      char to = from;
      words.append(' ').append(from);
      if (i + 2 < characters.length() && characters.charAt(i + 1) == '-') {
        to = characters.charAt(i + 2);
        words.append('-').append(to);
        i += 2;
      }
      for (char c = from; c <= to; c++) {
        allowed[c] = true;
      }
    }
    this.described = words.toString();
  }

  /** What a refusal of {@code field} says: "eventId must be 1 to 128 characters of A-Z a-z ...". */
  public String refusal(String field) {
    return field + " must be " + described;
  }

  /** Whether {@code value} has this shape; false for null. */
  public boolean matches(String value) {
    if (value == null) {
      return false;
    }
    int length = value.length();
    if (length == 0 || length > maxLength) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 128 || !allowed[c]) {
        return false;
      }
    }
    return true;
  }
}
