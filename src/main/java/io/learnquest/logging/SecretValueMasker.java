package io.learnquest.logging;

import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.ValueMasker;

/** The JSON format's mask: every string value written (message, stack trace, fields) goes through {@link SecretMask}. */
public final class SecretValueMasker implements ValueMasker {
  @Override
  public Object mask(JsonStreamContext context, Object value) {
    if (value instanceof CharSequence text) {
      String original = text.toString();
      String masked = SecretMask.mask(original);
      // null tells the encoder "unchanged"
      return masked.equals(original) ? null : masked;
    }
    return null;
  }
}
