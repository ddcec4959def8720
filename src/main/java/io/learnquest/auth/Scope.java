package io.learnquest.auth;

import java.util.Optional;

/**
 * What a credential may do. A tenant's {@link #ADMIN} key holds every scope of its tenant;
 * {@link #OPERATOR} manages tenants and nothing inside them.
 */
public enum Scope {
  EVENTS_WRITE("events:write"),
  LEARNERS_READ("learners:read"),
  LEADERBOARDS_READ("leaderboards:read"),
  RULES_WRITE("rules:write"),
  ADMIN("admin"),
  OPERATOR("operator");

  private final String text;

  Scope(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  public static Optional<Scope> parse(String text) {
    for (Scope s : values()) {
      if (s.text.equals(text)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
