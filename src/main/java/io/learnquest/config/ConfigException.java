package io.learnquest.config;

/** A configuration problem; its message names the file and the entry. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
