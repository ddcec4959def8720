package io.learnquest.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** What the log mask takes out, and what it leaves alone. */
class SecretMaskTest {
  @Test
  void bearerAndBasicCredentialsAreMasked() {
    assertEquals("Authorization: Bearer ****", SecretMask.mask("Authorization: Bearer lq_abc.DEF-123"));
    assertEquals("authorization=[basic ****]", SecretMask.mask("authorization=[basic dXNlcjpwYXNz]"));
  }

  @Test
  void tokensAndKeysInAQueryStringAreMasked() {
    assertEquals("GET /ws?learnerId=ana&access_token=**** 101",
        SecretMask.mask("GET /ws?learnerId=ana&access_token=eyJhbGci.eyJzdWIi.sig 101"));
    assertEquals("/x?key=****&page=2", SecretMask.mask("/x?key=k-123&page=2"));
  }

  @Test
  void passwordsAndTokensAsSettingsAreMasked() {
    assertEquals("PG_PASSWORD=**** METRICS_TOKEN=****", SecretMask.mask("PG_PASSWORD=hunter2 METRICS_TOKEN=t0k"));
    assertEquals("{\"password\": \"****\"}", SecretMask.mask("{\"password\": \"hunter2\"}"));
    assertEquals("password=(set)", SecretMask.mask("password=(set)"), "an already masked value stays readable");
  }

  @Test
  void passwordsInConnectionUrlsAreMasked() {
    assertEquals("redis://default:****@cache:6379/0", SecretMask.mask("redis://default:s3cr3t@cache:6379/0"));
    assertEquals("postgresql://app:****@db/lq", SecretMask.mask("postgresql://app:pw@db/lq"));
  }

  @Test
  void ordinaryTextIsLeftAsItIs() {
    String line = "Merged 12 scores on 4 leaderboards from the durable totals (start-up); tokens: 5, host:port 1:2";
    assertSame(line, SecretMask.mask(line));
    assertEquals("http://127.0.0.1:8080/api/v1/learners/ana", SecretMask.mask("http://127.0.0.1:8080/api/v1/learners/ana"));
  }
}
