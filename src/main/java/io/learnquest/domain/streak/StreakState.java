package io.learnquest.domain.streak;

import java.time.LocalDate;

/** A learner's stored streak. {@code lastStudyDate} is null before the first study event. */
public record StreakState(int current, int longest, int freezesLeft, LocalDate lastStudyDate) {
}
