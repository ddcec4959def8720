package io.learnquest.domain;

/** Tenants as every part of the engine names them. */
public final class Tenants {
  /**
   * The tenant of the bootstrap key, and the one that learning data written before tenants existed
   * belongs to.
   */
  public static final String DEFAULT = "default";

  private Tenants() {
  }

  /** Whether {@code tenantId} is a tenant id: 1 to 40 characters of {@code [a-z0-9-]}. */
  public static boolean valid(String tenantId) {
    return IdShape.TENANT_ID.matches(tenantId);
  }
}
