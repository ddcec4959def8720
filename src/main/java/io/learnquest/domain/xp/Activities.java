package io.learnquest.domain.xp;

/** Built-in activity names of docs/rules.md, "XP and levels"; a custom event type's activity is its own name. */
public final class Activities {
  public static final String LESSON = "lesson";
  public static final String QUIZ_PASS = "quiz_pass";
  public static final String QUIZ_PERFECT = "quiz_perfect";
  public static final String COURSE = "course";
  public static final String STREAK = "streak";
  public static final String HELP_PEER = "help_peer";

  private Activities() {
  }
}
