package dev.kgate.audit.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * POSTs one batch and says what became of it. HTTPS trusts the configured CA bundle only (or the
 * JDK's CAs without one) and verifies the host name, as the JDK client does by default. The
 * bearer token is read from its file for every request, so a rotated token is used at once; it
 * never appears in a reason, since reasons are logged. Redirects are not followed: the token
 * would follow them.
 */
final class WebhookClient {

  private static final int DETAIL_BYTES = 512;
  /** A receiver asking for more than this is probably wrong; we ask again after this. */
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private final HttpClient client;
  private final URI url;
  private final Path tokenFile;
  private final Duration requestTimeout;
  private final long answerTimeoutMillis;
  private final Clock clock;

  /** Throws {@link IllegalArgumentException} when the CA bundle cannot be read. */
  WebhookClient(WebhookOptions options) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        // One POST a second gains nothing from HTTP/2, and some receivers mishandle the h2c upgrade.
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(options.connectTimeout());
    if (options.caFile() != null) {
      builder.sslContext(trusting(options.caFile()));
    }
    this.client = builder.build();
    this.url = options.url();
    this.tokenFile = options.tokenFile();
    this.requestTimeout = options.requestTimeout();
    this.answerTimeoutMillis = options.requestTimeout().plus(options.connectTimeout()).toMillis();
    this.clock = options.clock();
  }

  /** Sends one EventList body; throws only when interrupted (the request is cancelled then). */
  Delivery post(byte[] body) throws InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", "kgate-audit-webhook")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    String token = null;
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        return new Delivery.Retry("cannot read the token file " + tokenFile + " ("
            + e.getClass().getSimpleName() + ")", null);
      }
      if (!isHeaderSafe(token)) {
        return new Delivery.Retry("the token file " + tokenFile
            + " is empty or holds characters a header cannot carry", null);
      }
      request.header("Authorization", "Bearer " + token);
    }
    CompletableFuture<HttpResponse<String>> answer =
        client.sendAsync(request.build(), info -> BodySubscribers.fromSubscriber(new Prefix(), Prefix::text));
    HttpResponse<String> response;
    try {
      response = answer.get(answerTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return new Delivery.Retry(describe(e.getCause(), token), null);
    } catch (TimeoutException e) {
      answer.cancel(true);
      return new Delivery.Retry("no complete answer within " + answerTimeoutMillis + " ms", null);
    } catch (InterruptedException e) {
      answer.cancel(true);
      throw e;
    }
    return classify(response);
  }

  private Delivery classify(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Delivery.Delivered(status);
    }
    if (status == 401 || status == 403) {
      // Credentials, not this batch: every batch would fail the same way until the token is fixed.
      return new Delivery.Retry("answered " + status + ": check the token", null);
    }
    if (status == 408 || status == 429 || status >= 500) {
      return new Delivery.Retry("answered " + status, retryAfter(response));
    }
    if (status >= 400) {
      return new Delivery.Rejected(status, response.body());
    }
    return new Delivery.Retry("answered " + status + " (redirects are not followed)", null);
  }

  /** {@code Retry-After} as seconds or an HTTP date; null when absent, past or unreadable. */
  private Duration retryAfter(HttpResponse<String> response) {
    String value = response.headers().firstValue("Retry-After").orElse("").strip();
    if (value.isEmpty()) {
      return null;
    }
    Duration wait;
    try {
      wait = value.chars().allMatch(Character::isDigit)
          ? Duration.ofSeconds(Long.parseLong(value))
          : Duration.between(clock.instant(),
              ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      return null;
    }
    if (wait.isNegative() || wait.isZero()) {
      return null;
    }
    return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
  }

  private static String describe(Throwable failure, String token) {
    String message = failure.getMessage();
    String reason = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    // No JDK message we know carries headers; this keeps it so if one ever does.
    return token == null || token.isEmpty() ? reason : reason.replace(token, "[token]");
  }

  private static boolean isHeaderSafe(String token) {
    return !token.isEmpty() && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  private static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("caFile: no certificate in " + caFile);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new IllegalArgumentException("caFile: cannot read " + caFile + " (" + e + ")", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("caFile: not a PEM certificate bundle: " + caFile + " (" + e.getMessage() + ")", e);
    }
  }

  /** Keeps the start of an answer for the log and drains the rest, so the connection is reused. */
  private static final class Prefix implements Flow.Subscriber<List<ByteBuffer>> {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        int take = Math.min(buffer.remaining(), DETAIL_BYTES - kept.size());
        if (take > 0) {
          byte[] bytes = new byte[take];
          buffer.get(bytes);
          kept.write(bytes, 0, take);
        }
      }
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}

    String text() {
      // One log line: the receiver's answer must not forge log lines of its own.
      return kept.toString(StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ").strip();
    }
  }
}
