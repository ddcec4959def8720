package io.learnquest.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log line of the engine while a test runs, at INFO and above (the tests' own configuration
 * keeps only errors): to prove no key or token reaches a log.
 */
final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root;
  private final Logger engine;
  private final Level rootLevel;
  private final Level engineLevel;

  LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    engine = context.getLogger("io.learnquest");
    rootLevel = root.getLevel();
    engineLevel = engine.getLevel();
    root.setLevel(Level.INFO);
    engine.setLevel(Level.DEBUG);
    appender.setContext(context);
    appender.start();
    root.addAppender(appender);
  }

  /** Each line as it would be written: message, arguments, exception and MDC. */
  List<String> lines() {
    return List.copyOf(appender.list).stream().map(e -> e.getLoggerName() + " " + e.getFormattedMessage() + " "
        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())) + " "
        + e.getMDCPropertyMap()).toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    root.setLevel(rootLevel);
    engine.setLevel(engineLevel);
  }
}
