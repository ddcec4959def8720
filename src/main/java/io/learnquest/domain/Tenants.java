package io.learnquest.domain;

/** Tenants as every part of the engine names them. */
public final class Tenants {
  /**
   * The tenant of the bootstrap key, and for now the one tenant whose learning data the engine
   * keeps: events, learners and boards are not yet kept apart per tenant.
   */
  public static final String DEFAULT = "default";

  private Tenants() {
  }
}
