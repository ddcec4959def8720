package io.learnquest.domain.streak;

import java.time.LocalDate;

/** The read side of a streak as a profile shows it, relative to the learner's today. */
public record StreakView(int current, int longest, int freezesLeft, LocalDate lastStudyDate, boolean atRisk) {
}
