package io.learnquest.store;

/**
 * A learner as the stores key it: the same learnerId in two tenants is two learners. What the
 * passes over every tenant (recovery, the inactivity sweep) name.
 */
public record LearnerRef(String tenant, String learnerId) {
}
