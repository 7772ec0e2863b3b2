package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kgate.sim.idp.SimIdp;
import java.net.URI;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad tokens end at the gateway: 401 with a Status, and not one byte reaches the cluster. */
class TokenRejectionTest {

  @TempDir static Path dir;
  static GatewayWorld world;
  static SimIdp otherIdp;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start(dir, "alpha");
    otherIdp = SimIdp.start();
  }

  @AfterAll
  static void stop() {
    if (otherIdp != null) {
      otherIdp.close();
    }
    if (world != null) {
      world.close();
    }
  }

  private static Map<String, Object> claims() {
    return Map.of("email", "mallory@example.com", "email_verified", true, "groups", List.of("sre"));
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Arguments> badTokens() {
    return Stream.of(
        Arguments.of("expired", "has expired", (Supplier<String>) () -> world.idp.server().issueToken(SimIdp.ISSUER_ID,
            SimIdp.CLIENT_ID, new DefaultOAuth2TokenCallback(SimIdp.ISSUER_ID, "m", "JWT", List.of("kubernetes"),
                claims(), -600)).serialize()),
        Arguments.of("wrong audience", "not issued for this gateway", (Supplier<String>) () -> world.idp.mintToken("m",
            Map.of("email", "m@example.com", "email_verified", true, "aud", "some-other-api"), Duration.ofHours(1))),
        Arguments.of("wrong issuer", "does not trust", (Supplier<String>) () -> otherIdp.mintToken("m", claims(), Duration.ofHours(1))),
        Arguments.of("bad signature", "signature is not valid", (Supplier<String>) () -> {
          String[] parts = world.idp.mintToken("m", claims(), Duration.ofHours(1)).split("\\.");
          String forged = b64("{\"iss\":\"" + world.idp.issuer() + "\",\"sub\":\"m\",\"aud\":\"kubernetes\","
              + "\"email\":\"admin@example.com\",\"email_verified\":true,\"exp\":" + (System.currentTimeMillis() / 1000 + 3600) + "}");
          return parts[0] + "." + forged + "." + parts[2];
        }),
        Arguments.of("alg none", "algorithm", (Supplier<String>) () -> {
          String[] parts = world.idp.mintToken("m", claims(), Duration.ofHours(1)).split("\\.");
          return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        }),
        Arguments.of("unknown kid", "does not publish", (Supplier<String>) () -> {
          try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("not-published").generate();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("not-published").build(),
                new JWTClaimsSet.Builder().issuer(world.idp.issuer().toString()).subject("m").audience("kubernetes")
                    .claim("email", "m@example.com").claim("email_verified", true)
                    .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }),
        Arguments.of("not a JWT", "not a token", (Supplier<String>) () -> "not-a-token"));
  }

  @ParameterizedTest(name = "{0} token: 401 ({1}), nothing forwarded")
  @MethodSource("badTokens")
  void badTokensGet401AndNothingReachesTheCluster(String name, String why, Supplier<String> token) throws Exception {
    world.cluster("alpha").clearRequests();
    HttpClient client = HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build();
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(world.url("alpha", "/api/v1/namespaces/default/pods")))
        .header("Authorization", "Bearer " + token.get()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(response.body()).contains("\"kind\":\"Status\"").contains("\"reason\":\"Unauthorized\"")
        .as("refused for the right reason").contains(why).contains("kgate login");
    assertThat(world.cluster("alpha").requests()).isEmpty();
  }
}
