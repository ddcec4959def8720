package io.learnquest.logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what must never reach a log line: bearer tokens and API keys, tokens and keys in a query
 * string ({@code ?access_token=}), passwords in {@code key=value} text and in connection URLs. Both
 * log formats pass every message, stack trace and field through here, so even a library that logs
 * a request or a configuration cannot leak one. Only the secret part is replaced.
 */
public final class SecretMask {
  public static final String MASK = "****";
  /** Each pattern's group 1 is kept, group 2 is the secret. */
  private static final List<Pattern> SECRETS = List.of(
      Pattern.compile("(?i)(\\b(?:bearer|basic)\\s+)([^\\s\"',;\\[\\](){}]+)"),
      Pattern.compile("(?i)([?&;](?:access_token|token|key|api_key|apikey|password|secret)=)([^&\\s\"'#]+)"),
      Pattern.compile("(?i)((?:password|passwd|secret|token|api_?key)\"?\\s*[:=]\\s*\"?)(?!\\(set\\)|\\(none\\))"
          + "([^\\s\"',;}\\]&]+)"),
      Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^:/@\\s]*:)([^@\\s/]+)(@)"));

  private SecretMask() {
  }

  /** {@code text} with every secret replaced by {@link #MASK}; the same instance when there is none. */
  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (Pattern pattern : SECRETS) {
      Matcher m = pattern.matcher(result);
      if (!m.find()) {
        continue;
      }
      StringBuilder out = new StringBuilder(result.length());
      do {
        String tail = m.groupCount() >= 3 && m.group(3) != null ? m.group(3) : "";
        m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + MASK + tail));
      } while (m.find());
      m.appendTail(out);
      result = out.toString();
    }
    return result;
  }
}
