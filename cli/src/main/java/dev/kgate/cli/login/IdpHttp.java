package dev.kgate.cli.login;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP to the IdP (and to the gateway's own endpoints): JSON GETs and form POSTs (RFC 6749
 * §4.1.3) over the JDK client, trusting the system's CAs or, with a CA file, only the CAs in that
 * PEM file. Built only when a login, refresh, revocation or discovery needs the network, so the
 * exec plugin's cached path never loads it.
 */
final class IdpHttp {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client;
  private final String peer;

  IdpHttp(Path caFile) {
    this(caFile, "the IdP");
  }

  /** @param peer who answers, for messages: "the IdP", "the gateway" */
  IdpHttp(Path caFile, String peer) {
    this.peer = peer;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (caFile != null) {
      builder.sslContext(trusting(caFile));
    }
    this.client = builder.build();
  }

  /** The status and JSON body of one answer; {@code body} is empty when the answer was not JSON. */
  record Answer(int status, Map<String, Object> body) {

    /** The body of a 2xx answer, else the OAuth error in it as an {@link IdpException}. */
    Map<String, Object> successOrThrow(String what) {
      if (status / 100 == 2) {
        return body;
      }
      throw error(what);
    }

    IdpException error(String what) {
      String error = Json.string(body, "error");
      String description = Json.string(body, "error_description");
      String code = error != null ? error : "http_" + status;
      return new IdpException(code, what + " failed: " + code + (description != null ? " (" + description + ")" : "")
          + " [HTTP " + status + "]");
    }
  }

  Answer getJson(URI uri) {
    return send(HttpRequest.newBuilder(uri).header("Accept", "application/json").timeout(TIMEOUT).GET().build());
  }

  /** A GET carrying {@code bearer} as its {@code Authorization}. */
  Answer getJson(URI uri, String bearer) {
    return send(HttpRequest.newBuilder(uri).header("Accept", "application/json")
        .header("Authorization", "Bearer " + bearer).timeout(TIMEOUT).GET().build());
  }

  Answer postForm(URI uri, Map<String, String> form) {
    StringJoiner body = new StringJoiner("&");
    form.forEach((k, v) -> {
      if (v != null) {
        body.add(encode(k) + "=" + encode(v));
      }
    });
    return send(HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build());
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      Map<String, Object> body;
      try {
        body = response.body().isBlank() ? Map.of() : Json.parseObject(response.body());
      } catch (IllegalArgumentException e) {
        body = Map.of();
      }
      return new Answer(response.statusCode(), body);
    } catch (IOException e) {
      throw new IdpException("unreachable", "cannot reach " + peer + " at " + request.uri() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IdpException("interrupted", "interrupted while talking to " + peer, e);
    }
  }

  private static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new IllegalArgumentException("no certificate in " + caFile);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the CA file " + caFile + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use the CA file " + caFile + ": " + e.getMessage(), e);
    }
  }
}
