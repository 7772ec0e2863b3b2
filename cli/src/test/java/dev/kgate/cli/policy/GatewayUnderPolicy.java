package dev.kgate.cli.policy;

import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.policy.PolicyLoader;
import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.server.GatewayServer;
import dev.kgate.sim.cluster.RecordedRequest;
import dev.kgate.sim.cluster.SimCluster;
import dev.kgate.sim.idp.SimIdp;
import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real gateway enforcing a policy file, in front of simulated clusters, with the built-in IdP
 * minting tokens: built the way {@code GatewayWorld} in the gateway's tests builds one (whose test
 * classes this module cannot see), from real files, as an operator would configure it. Requests go
 * through {@code java.net.http} over TLS, trusting only the test CA.
 */
final class GatewayUnderPolicy implements AutoCloseable {

  /** What came of one request: the gateway's answer, and what the cluster received of it. */
  record Outcome(int status, String body, List<RecordedRequest> upstream) {

    boolean forwarded() {
      return !upstream.isEmpty();
    }
  }

  private final TestPki pki;
  private final SimIdp idp;
  private final Map<String, SimCluster> clusters = new LinkedHashMap<>();
  private final GatewayServer gateway;
  private final HttpClient http;
  final Path policyFile;

  private GatewayUnderPolicy(Path dir, String policyYaml, List<String> clusterNames) throws Exception {
    pki = TestPki.create("kgate-property-ca");
    IssuedCertificate serverCert = pki.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"));
    serverCert.writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"), KeyFormat.PKCS8);
    idp = SimIdp.start();
    idp.writeCaPem(dir.resolve("idp-ca.crt"));
    List<GatewayConfig.Cluster> upstreams = new ArrayList<>();
    for (String name : clusterNames) {
      SimCluster cluster = SimCluster.start(name);
      clusters.put(name, cluster);
      cluster.writeCaPem(dir.resolve(name + "-ca.crt"));
      Files.writeString(dir.resolve(name + ".token"), cluster.gatewayToken());
      upstreams.add(new GatewayConfig.Cluster(name, URI.create(cluster.url()), dir.resolve(name + "-ca.crt"), null,
          new GatewayConfig.Credentials.TokenFile(dir.resolve(name + ".token")),
          Duration.ofSeconds(2), Duration.ofSeconds(90)));
    }
    IssuerSettings issuer = new IssuerSettings(idp.issuer(), List.of("kubernetes"), "kgate",
        IssuerSettings.DEFAULT_ALGORITHMS, Duration.ofSeconds(30),
        new IssuerSettings.ClaimMapping("email", "", "groups", ""), dir.resolve("idp-ca.crt"));
    policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, policyYaml);
    GatewayConfig config = new GatewayConfig(
        new GatewayConfig.Listen("127.0.0.1", 0,
            new GatewayConfig.Tls(dir.resolve("tls.crt"), dir.resolve("tls.key"), null)),
        List.of(issuer), upstreams,
        new GatewayConfig.Limits(ConfigLoader.DEFAULT_MAX_INITIAL_LINE_LENGTH, ConfigLoader.DEFAULT_MAX_HEADER_SIZE,
            ConfigLoader.DEFAULT_MAX_HEADER_LIST_SIZE, Duration.ofMinutes(5), Duration.ofSeconds(10)),
        new GatewayConfig.Audit(dir.resolve("audit"), true, ConfigLoader.DEFAULT_AUDIT_FSYNC_INTERVAL,
            ConfigLoader.DEFAULT_AUDIT_RETENTION, null),
        new GatewayConfig.PolicySource(policyFile, PolicyLoader.load(policyFile)));
    gateway = GatewayServer.start(config);
    http = HttpClient.newBuilder()
        .sslContext(pki.jdkClientContext(null))
        .version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Starts the IdP, one simulated cluster per name, and a gateway enforcing {@code policyYaml}. */
  static GatewayUnderPolicy start(Path dir, String policyYaml, List<String> clusterNames) throws Exception {
    return new GatewayUnderPolicy(dir, policyYaml, clusterNames);
  }

  /** A one-hour token of the built-in IdP with these claims (an {@code email} for the user name). */
  String token(String email, Map<String, Object> claims) {
    return idp.mintToken(email, claims, Duration.ofHours(1));
  }

  /**
   * Sends one request to {@code /clusters/<cluster><pathAndQuery>} and reports the gateway's answer
   * and what any cluster received with that method and path. A forwarded watch ({@code stream})
   * is not read to its end: its status says all, and the stream is closed.
   */
  Outcome send(String token, String cluster, String method, String pathAndQuery, String contentType, String body,
      boolean stream) throws IOException, InterruptedException {
    clusters.values().forEach(SimCluster::clearRequests);
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + gateway.port() + "/clusters/" + cluster + pathAndQuery))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    String text;
    try (InputStream in = response.body()) {
      // a refusal is one small Status; a forwarded watch would stream until its timeout
      boolean refusal = response.statusCode() == 401 || response.statusCode() == 403;
      text = stream && !refusal ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
    List<RecordedRequest> upstream = new ArrayList<>();
    for (SimCluster simulated : clusters.values()) {
      for (RecordedRequest received : simulated.requests()) {
        if (received.method().equals(method) && received.path().equals(path)) {
          upstream.add(received);
        }
      }
    }
    return new Outcome(response.statusCode(), text, upstream);
  }

  @Override
  public void close() {
    if (gateway != null) {
      gateway.close();
    }
    clusters.values().forEach(SimCluster::close);
    if (idp != null) {
      idp.close();
    }
  }
}
