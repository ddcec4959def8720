package io.learnquest.auth;

import io.learnquest.domain.Tenants;
import io.learnquest.config.EngineConfig;
import io.learnquest.store.AuthStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first credentials of a node (docs/api.md, "Credentials"): {@code LQ_BOOTSTRAP_KEY} becomes the admin
 * key {@code bootstrap} of tenant {@code default}, {@code LQ_OPERATOR_KEY} the operator key
 * {@code operator}. With neither and no key in the store, a fresh admin key is written to the
 * bootstrap key file (mode 0600) and the log says where, never what.
 */
public final class Bootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
  public static final String DEFAULT_TENANT = Tenants.DEFAULT;
  public static final String BOOTSTRAP_KEY_ID = "bootstrap";
  public static final String OPERATOR_KEY_ID = "operator";
  /** Shorter secrets are accepted (a deployment chose them) but warned about. */
  static final int WEAK_SECRET_CHARS = 32;

  private Bootstrap() {
  }

  public static Future<Void> run(Vertx vertx, AuthStore store, EngineConfig.AuthSettings settings, Clock clock) {
    Future<Void> done = Future.succeededFuture();
    boolean anyGiven = !settings.bootstrapKey().isEmpty() || !settings.operatorKey().isEmpty();
    if (!settings.bootstrapKey().isEmpty()) {
      warnIfWeak("LQ_BOOTSTRAP_KEY", settings.bootstrapKey());
      done = done.compose(v -> defaultTenant(store, clock))
          .compose(v -> store.putKey(new AuthStore.ApiKey(BOOTSTRAP_KEY_ID, DEFAULT_TENANT, "bootstrap",
              List.of(Scope.ADMIN.text()), ApiKeys.hash(settings.bootstrapKey()), clock.instant(), null)));
    }
    if (!settings.operatorKey().isEmpty()) {
      warnIfWeak("LQ_OPERATOR_KEY", settings.operatorKey());
      done = done.compose(v -> store.putKey(new AuthStore.ApiKey(OPERATOR_KEY_ID, null, "operator",
          List.of(Scope.OPERATOR.text()), ApiKeys.hash(settings.operatorKey()), clock.instant(), null)));
    }
    if (!settings.allowedOrigins().isEmpty()) {
      done = done.compose(v -> defaultTenant(store, clock))
          .compose(v -> store.setOrigins(DEFAULT_TENANT, settings.allowedOrigins())).mapEmpty();
    }
    if (!anyGiven) {
      Path file = Path.of(settings.firstKeyPath()).toAbsolutePath();
      done = done.compose(v -> store.anyKey()).compose(any -> {
        if (any) {
          LOG.info("API keys exist already; a first admin key, if this node made one, is in {}", file);
          return Future.succeededFuture();
        }
        String secret = ApiKeys.newSecret();
        return defaultTenant(store, clock)
            .compose(v -> store.putKey(new AuthStore.ApiKey(BOOTSTRAP_KEY_ID, DEFAULT_TENANT, "bootstrap",
                List.of(Scope.ADMIN.text()), ApiKeys.hash(secret), clock.instant(), null)))
            .compose(v -> vertx.executeBlocking(() -> {
              writeSecret(file, secret);
              return null;
            }))
            .onSuccess(v -> LOG.info("No API key was configured: wrote a first admin key of tenant default to {} "
                + "(mode 0600). Send it as 'Authorization: Bearer <key>'.", file))
            .mapEmpty();
      });
    }
    return done;
  }

  private static Future<Void> defaultTenant(AuthStore store, Clock clock) {
    return store.createTenant(DEFAULT_TENANT, "Default tenant", clock.instant()).mapEmpty();
  }

  private static void warnIfWeak(String variable, String secret) {
    if (secret.length() < WEAK_SECRET_CHARS) {
      LOG.warn("{} is shorter than {} characters: a key should carry at least 128 random bits", variable,
          WEAK_SECRET_CHARS);
    }
  }

  /** Writes the secret to a file only its owner can read (created afresh, so the mode holds). */
  static void writeSecret(Path file, String secret) throws IOException {
    Path dir = file.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Files.deleteIfExists(file);
    try (Writer out = Channels.newWriter(Files.newByteChannel(file,
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), StandardCharsets.UTF_8)) {
      out.write(secret);
      out.write('\n');
    }
  }
}
