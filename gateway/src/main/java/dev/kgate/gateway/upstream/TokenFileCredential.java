package dev.kgate.gateway.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bearer token kept in a file, such as a projected ServiceAccount token, which the kubelet
 * rotates by swapping the file. The token is read once at start (an empty or unreadable file fails
 * startup), then a background task compares the file's modification time, size and identity every
 * few seconds and re-reads it when any changed. {@link #applyTo} only reads an
 * {@link AtomicReference}, so it is safe on an event loop. A failed re-read keeps the previous
 * token and logs a warning; the token itself is never logged.
 */
public final class TokenFileCredential implements UpstreamCredential, AutoCloseable {

  /** How often the file is checked; the kubelet refreshes projected tokens well before expiry. */
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(TokenFileCredential.class);

  private final Path file;
  private final AtomicReference<String> authorization;
  private volatile FileStamp stamp;
  private volatile ScheduledFuture<?> checks;

  private TokenFileCredential(Path file, String token, FileStamp stamp) {
    this.file = file;
    this.authorization = new AtomicReference<>(bearer(token));
    this.stamp = stamp;
  }

  /** Reads the token now and checks {@code file} every {@link #DEFAULT_CHECK_INTERVAL}. */
  public static TokenFileCredential start(Path file, ScheduledExecutorService background)
      throws IOException {
    return start(file, background, DEFAULT_CHECK_INTERVAL);
  }

  /**
   * Reads the token now and schedules the change check on {@code background}.
   *
   * @throws IOException when the file cannot be read, is empty, or holds a token no header can
   *     carry; the message never contains the token
   */
  public static TokenFileCredential start(
      Path file, ScheduledExecutorService background, Duration checkInterval) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(background, "background");
    Objects.requireNonNull(checkInterval, "checkInterval");
    FileStamp stamp = FileStamp.of(file);
    TokenFileCredential credential = new TokenFileCredential(file, readToken(file), stamp);
    long millis = Math.max(1, checkInterval.toMillis());
    credential.checks =
        background.scheduleWithFixedDelay(
            credential::checkForChange, millis, millis, TimeUnit.MILLISECONDS);
    return credential;
  }

  @Override
  public void applyTo(HttpHeaders headers) {
    headers.set(HttpHeaderNames.AUTHORIZATION, authorization.get());
  }

  /** The token file this credential follows. */
  public Path file() {
    return file;
  }

  /**
   * Re-reads the token if the file changed since the last read. Runs on the background executor;
   * never throws, because an exception would cancel the periodic task for good.
   */
  void checkForChange() {
    try {
      FileStamp current = FileStamp.of(file);
      if (current.equals(stamp)) {
        return;
      }
      String token = readToken(file);
      authorization.set(bearer(token));
      stamp = current;
      log.info("re-read the upstream token from {} after it changed", file);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "cannot re-read the upstream token from {}, keeping the previous one: {}", file, describe(e));
    }
  }

  /** Stops the background checks; the last token read stays in use. */
  @Override
  public void close() {
    ScheduledFuture<?> scheduled = checks;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }

  @Override
  public String toString() {
    return "TokenFileCredential[" + file + "]";
  }

  private static String readToken(Path file) throws IOException {
    String raw = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return Tokens.requireHeaderSafe(raw);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage().replace("the token", "the token file " + file), e);
    }
  }

  private static String describe(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "the file does not exist";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  /** What identifies one version of the file; the kubelet's atomic swap changes all three. */
  private record FileStamp(FileTime modified, long size, Object fileKey) {

    static FileStamp of(Path file) throws IOException {
      // Follows symbolic links: projected volumes swap a "..data" link, not the file itself.
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    }
  }
}
