package dev.kgate.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A minimal OIDC issuer on 127.0.0.1 for benchmarks: discovery and a JWK set served by the JDK's
 * HTTP server, and RS256 tokens signed with its key, shaped like Keycloak's access tokens. Small
 * on purpose, so the numbers measure kgate's verification and not a test IdP.
 */
final class LocalIssuer implements AutoCloseable {

  static final String AUDIENCE = "kubernetes";

  private final HttpServer server;
  private final RSAKey key;
  private final URI issuer;

  LocalIssuer() throws IOException, JOSEException {
    key = new RSAKeyGenerator(2048).keyID("bench").generate();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    issuer = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/realms/bench");
    String jwks = new JWKSet(key.toPublicJWK()).toString();
    String discovery = "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}";
    server.createContext(issuer.getPath() + "/.well-known/openid-configuration", exchange -> answer(exchange, discovery));
    server.createContext(issuer.getPath() + "/jwks", exchange -> answer(exchange, jwks));
    server.start();
  }

  URI issuer() {
    return issuer;
  }

  /** An access token for {@code subject}, valid for an hour from now. */
  String token(String subject) throws JOSEException {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer.toString())
        .subject(subject)
        .audience(List.of(AUDIENCE, "account"))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .claim("azp", "kubectl")
        .claim("preferred_username", subject)
        .claim("email", subject + "@example.com")
        .claim("email_verified", true)
        .claim("groups", List.of("sre", "dev"))
        .claim("amr", List.of("pwd", "otp"))
        .claim("acr", "mfa")
        .claim("auth_time", now.getEpochSecond())
        .build();
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static void answer(HttpExchange exchange, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
