package io.learnquest.bus;


/**
 * The tenant a bus message is about: every message that holds or asks for a learner's data names
 * it in its {@code tenant} component ({@link #FIELD}, also the key of a job's tenant), and the
 * verticle serving it reads and writes that tenant's data only.
 */
public final class Tenancy {
  public static final String FIELD = "tenant";

  private Tenancy() {
  }

  /**
   * Erase everything the receiving verticle keeps about {@code tenant}: answered with nothing once
   * it is gone. The rules, leaderboards and badges verticles each take it for their own data.
   */
  public record Erase(String tenant) {
  }
}
