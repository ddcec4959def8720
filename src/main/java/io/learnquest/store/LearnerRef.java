package io.learnquest.store;

/**
 * A learner as the stores key it: the same learnerId in two tenants is two learners. What the
 * passes over every tenant (recovery, the inactivity sweep) name.
 */
public record LearnerRef(String tenant, String learnerId) {
  // Written out: a record's generated hashCode and equals go through a method handle on every call,
  // and learners are looked up by this key several times per event.
  @Override
  public int hashCode() {
    return 31 * tenant.hashCode() + learnerId.hashCode();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LearnerRef ref && tenant.equals(ref.tenant) && learnerId.equals(ref.learnerId);
  }
}
