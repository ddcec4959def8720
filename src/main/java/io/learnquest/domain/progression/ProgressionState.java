package io.learnquest.domain.progression;

/** Learner progression states of docs/rules.md, "Progression". */
public enum ProgressionState {
  ONBOARDING, ACTIVE, AT_RISK, DORMANT, MASTERY, MENTOR
}
