package dev.kgate.audit.webhook;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Settings of a {@link WebhookSink}; start from {@link #defaults(URI, Path)}. The constructor
 * checks every field and throws one {@link IllegalArgumentException} listing every problem, each
 * starting with the field's name, so a config loader can prefix its key path.
 *
 * @param url            where batches are POSTed; {@code http} or {@code https}, no user info
 * @param caFile         PEM bundle of the CAs to trust for {@code https}, or null for the JDK's
 * @param tokenFile      file holding a bearer token, re-read for every request, or null for none;
 *                       only with {@code https}, since the token would otherwise travel in clear
 * @param batchMaxEvents events per batch at most (default 500)
 * @param batchMaxBytes  bytes per batch body at most, unless one event alone is larger (default 4 MiB;
 *                       Falco's {@code webhookMaxBatchSize} is 12 MiB)
 * @param batchMaxDelay  how long the first event of a batch waits for company (default 1 s)
 * @param spoolDir       where batches wait until the receiver takes them; keep it on the audit volume
 * @param spoolMaxBytes  spooled and rejected batches together at most (default 1 GiB)
 * @param connectTimeout TCP and TLS connect timeout (default 5 s)
 * @param requestTimeout one POST, from sending to the last byte of the answer (default 30 s)
 * @param maxBackoff     the longest wait between two attempts, unless the receiver asks for more
 *                       with {@code Retry-After} (default 30 s)
 * @param closeTimeout   how long {@link WebhookSink#close()} keeps delivering (default 5 s)
 * @param queueCapacity  events held in memory between {@code offer} and the spool (default 10,000)
 * @param clock          the time for {@code Retry-After} dates
 */
public record WebhookOptions(URI url, Path caFile, Path tokenFile, int batchMaxEvents,
    long batchMaxBytes, Duration batchMaxDelay, Path spoolDir, long spoolMaxBytes,
    Duration connectTimeout, Duration requestTimeout, Duration maxBackoff, Duration closeTimeout,
    int queueCapacity, Clock clock) {

  public static final int DEFAULT_BATCH_MAX_EVENTS = 500;
  public static final long DEFAULT_BATCH_MAX_BYTES = 4L * 1024 * 1024;
  public static final Duration DEFAULT_BATCH_MAX_DELAY = Duration.ofSeconds(1);
  public static final long DEFAULT_SPOOL_MAX_BYTES = 1024L * 1024 * 1024;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

  /** The smallest batch byte limit: room for a few events of the largest ordinary size. */
  public static final long MIN_BATCH_MAX_BYTES = 16 * 1024;
  /** Batches per spool at least, so one waiting batch never fills it alone. */
  public static final int MIN_SPOOL_BATCHES = 2;

  public WebhookOptions {
    List<String> problems = new ArrayList<>();
    checkUrl(url, caFile, tokenFile, problems);
    if (spoolDir == null) {
      problems.add("spoolDir: required");
    }
    if (batchMaxEvents < 1 || batchMaxEvents > 100_000) {
      problems.add("batchMaxEvents: must be between 1 and 100000, is " + batchMaxEvents);
    }
    if (batchMaxBytes < MIN_BATCH_MAX_BYTES) {
      problems.add("batchMaxBytes: must be at least " + MIN_BATCH_MAX_BYTES + ", is " + batchMaxBytes);
    }
    if (spoolMaxBytes < MIN_SPOOL_BATCHES * batchMaxBytes) {
      problems.add("spoolMaxBytes: must hold at least " + MIN_SPOOL_BATCHES
          + " batches of batchMaxBytes (" + MIN_SPOOL_BATCHES * batchMaxBytes + "), is " + spoolMaxBytes);
    }
    positive("batchMaxDelay", batchMaxDelay, problems);
    positive("connectTimeout", connectTimeout, problems);
    positive("requestTimeout", requestTimeout, problems);
    positive("maxBackoff", maxBackoff, problems);
    if (closeTimeout == null || closeTimeout.isNegative()) {
      problems.add("closeTimeout: required, not negative");
    }
    if (queueCapacity < 1) {
      problems.add("queueCapacity: must be positive, is " + queueCapacity);
    }
    if (clock == null) {
      problems.add("clock: required");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The defaults for a receiver and a spool directory, without CA bundle or token. */
  public static WebhookOptions defaults(URI url, Path spoolDir) {
    return new WebhookOptions(url, null, null, DEFAULT_BATCH_MAX_EVENTS, DEFAULT_BATCH_MAX_BYTES,
        DEFAULT_BATCH_MAX_DELAY, spoolDir, DEFAULT_SPOOL_MAX_BYTES, DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_BACKOFF, DEFAULT_CLOSE_TIMEOUT, DEFAULT_QUEUE_CAPACITY,
        Clock.systemUTC());
  }

  /**
   * The URL as it may appear in logs: scheme, host, port and path, without the query (which
   * some receivers use for an API key).
   */
  public String target() {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  public WebhookOptions withCaFile(Path value) {
    return new WebhookOptions(url, value, tokenFile, batchMaxEvents, batchMaxBytes, batchMaxDelay, spoolDir, spoolMaxBytes, connectTimeout, requestTimeout, maxBackoff, closeTimeout, queueCapacity, clock);
  }

  public WebhookOptions withTokenFile(Path value) {
    return new WebhookOptions(url, caFile, value, batchMaxEvents, batchMaxBytes, batchMaxDelay, spoolDir, spoolMaxBytes, connectTimeout, requestTimeout, maxBackoff, closeTimeout, queueCapacity, clock);
  }

  public WebhookOptions withBatchMaxEvents(int value) {
    return new WebhookOptions(url, caFile, tokenFile, value, batchMaxBytes, batchMaxDelay, spoolDir, spoolMaxBytes, connectTimeout, requestTimeout, maxBackoff, closeTimeout, queueCapacity, clock);
  }

  public WebhookOptions withBatchMaxBytes(long value) {
    return new WebhookOptions(url, caFile, tokenFile, batchMaxEvents, value, batchMaxDelay, spoolDir, spoolMaxBytes, connectTimeout, requestTimeout, maxBackoff, closeTimeout, queueCapacity, clock);
  }

  public WebhookOptions withBatchMaxDelay(Duration value) {
    return new WebhookOptions(url, caFile, tokenFile, batchMaxEvents, batchMaxBytes, value, spoolDir, spoolMaxBytes, connectTimeout, requestTimeout, maxBackoff, closeTimeout, queueCapacity, clock);
  }

  public WebhookOptions withSpoolMaxBytes(long value) {
    return new WebhookOptions(url, caFile, tokenFile, batchMaxEvents, batchMaxBytes, batchMaxDelay, spoolDir, value, connectTimeout, requestTimeout, maxBackoff, closeTimeout, queueCapacity, clock);
  }

  public WebhookOptions withConnectTimeout(Duration value) {
    return new WebhookOptions(url, caFile, tokenFile, batchMaxEvents, batchMaxBytes, batchMaxDelay, spoolDir, spoolMaxBytes, value, requestTimeout, maxBackoff, closeTimeout, queueCapacity, clock);
  }

  public WebhookOptions withRequestTimeout(Duration value) {
    return new WebhookOptions(url, caFile, tokenFile, batchMaxEvents, batchMaxBytes, batchMaxDelay, spoolDir, spoolMaxBytes, connectTimeout, value, maxBackoff, closeTimeout, queueCapacity, clock);
  }

  public WebhookOptions withMaxBackoff(Duration value) {
    return new WebhookOptions(url, caFile, tokenFile, batchMaxEvents, batchMaxBytes, batchMaxDelay, spoolDir, spoolMaxBytes, connectTimeout, requestTimeout, value, closeTimeout, queueCapacity, clock);
  }

  public WebhookOptions withCloseTimeout(Duration value) {
    return new WebhookOptions(url, caFile, tokenFile, batchMaxEvents, batchMaxBytes, batchMaxDelay, spoolDir, spoolMaxBytes, connectTimeout, requestTimeout, maxBackoff, value, queueCapacity, clock);
  }

  public WebhookOptions withQueueCapacity(int value) {
    return new WebhookOptions(url, caFile, tokenFile, batchMaxEvents, batchMaxBytes, batchMaxDelay, spoolDir, spoolMaxBytes, connectTimeout, requestTimeout, maxBackoff, closeTimeout, value, clock);
  }

  public WebhookOptions withClock(Clock value) {
    return new WebhookOptions(url, caFile, tokenFile, batchMaxEvents, batchMaxBytes, batchMaxDelay, spoolDir, spoolMaxBytes, connectTimeout, requestTimeout, maxBackoff, closeTimeout, queueCapacity, value);
  }

  private static void checkUrl(URI url, Path caFile, Path tokenFile, List<String> problems) {
    if (url == null) {
      problems.add("url: required");
      return;
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      problems.add("url: must be http or https");
    } else if (url.getHost() == null || url.getHost().isEmpty()) {
      problems.add("url: needs a host");
    }
    if (url.getRawUserInfo() != null) {
      // Credentials in the URL would end up in logs and error messages: use tokenFile.
      problems.add("url: must not carry user info; use tokenFile");
    }
    if (url.getRawFragment() != null) {
      problems.add("url: must not have a fragment");
    }
    if (scheme.equals("http") && tokenFile != null) {
      problems.add("tokenFile: needs an https url, or the token travels in clear text");
    }
    if (scheme.equals("http") && caFile != null) {
      problems.add("caFile: needs an https url");
    }
  }

  private static void positive(String name, Duration value, List<String> problems) {
    if (value == null || value.isNegative() || value.isZero()) {
      problems.add(name + ": required, positive");
    }
  }
}
