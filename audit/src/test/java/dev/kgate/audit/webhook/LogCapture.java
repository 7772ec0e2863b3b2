package dev.kgate.audit.webhook;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Records what the webhook package logs, down to DEBUG, while open. */
final class LogCapture implements AutoCloseable {

  private final Logger logger = (Logger) LoggerFactory.getLogger(WebhookSink.class.getPackageName());
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Level before;

  LogCapture() {
    before = logger.getLevel();
    appender.start();
    logger.setLevel(Level.DEBUG);
    logger.addAppender(appender);
  }

  /** Every event as one text: level, formatted message and stack trace. */
  List<String> lines() {
    List<ILoggingEvent> events;
    synchronized (appender) { // AppenderBase.doAppend holds this lock while it adds
      events = List.copyOf(appender.list);
    }
    return events.stream()
        .map(event -> event.getLevel() + " " + event.getFormattedMessage()
            + (event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy())))
        .toList();
  }

  List<String> lines(Level level) {
    return lines().stream().filter(line -> line.startsWith(level.toString() + " ")).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(before);
  }
}
