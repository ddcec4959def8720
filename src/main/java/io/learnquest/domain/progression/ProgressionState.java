package io.learnquest.domain.progression;

/** Learner progression states of contract section 4. */
public enum ProgressionState {
  ONBOARDING, ACTIVE, AT_RISK, DORMANT, MASTERY, MENTOR
}
