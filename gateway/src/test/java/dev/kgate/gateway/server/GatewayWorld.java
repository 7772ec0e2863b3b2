package dev.kgate.gateway.server;

import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.policy.PolicyLoader;
import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.sim.cluster.SimCluster;
import dev.kgate.sim.idp.SimIdp;
import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.TestPki;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole gateway for integration tests: a test PKI, the built-in IdP, simulated clusters, and a
 * GatewayServer on an ephemeral port configured with real files (certificates, CA bundles, token
 * files), exactly as an operator would configure it.
 */
public final class GatewayWorld implements AutoCloseable {

  public final Path dir;
  public final TestPki pki;
  public final SimIdp idp;
  public final Map<String, SimCluster> clusters = new LinkedHashMap<>();
  public final GatewayServer gateway;
  public final GatewayConfig config;

  private GatewayWorld(Path dir, List<SimCluster> simulated, List<GatewayConfig.Cluster> extraClusters,
      String policyYaml) throws Exception {
    this(dir, simulated, extraClusters, policyYaml, null);
  }

  private GatewayWorld(Path dir, List<SimCluster> simulated, List<GatewayConfig.Cluster> extraClusters,
      String policyYaml, GatewayConfig.Limits limits) throws Exception {
    this(dir, simulated, extraClusters, policyYaml, limits, GatewayConfig.Sessions.DEFAULTS);
  }

  private GatewayWorld(Path dir, List<SimCluster> simulated, List<GatewayConfig.Cluster> extraClusters,
      String policyYaml, GatewayConfig.Limits limits, GatewayConfig.Sessions sessions) throws Exception {
    this(dir, simulated, extraClusters, policyYaml, limits, sessions, null);
  }

  /** @param auditYaml when set, the gateway runs from a configuration file with these {@code audit:} keys */
  private GatewayWorld(Path dir, List<SimCluster> simulated, List<GatewayConfig.Cluster> extraClusters,
      String policyYaml, GatewayConfig.Limits limits, GatewayConfig.Sessions sessions, String auditYaml)
      throws Exception {
    this.dir = dir;
    this.pki = TestPki.create("kgate-test-ca");
    IssuedCertificate serverCert = pki.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"));
    serverCert.writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"), KeyFormat.PKCS8);
    pki.writeCaPem(dir.resolve("gateway-ca.crt"));
    this.idp = SimIdp.start();
    idp.writeCaPem(dir.resolve("idp-ca.crt"));
    List<GatewayConfig.Cluster> upstreams = new ArrayList<>();
    for (SimCluster cluster : simulated) {
      String name = cluster.name();
      clusters.put(name, cluster);
      cluster.writeCaPem(dir.resolve(name + "-ca.crt"));
      Files.writeString(dir.resolve(name + ".token"), cluster.gatewayToken());
      upstreams.add(new GatewayConfig.Cluster(name, URI.create(cluster.url()), dir.resolve(name + "-ca.crt"), null,
          new GatewayConfig.Credentials.TokenFile(dir.resolve(name + ".token")),
          Duration.ofSeconds(2), Duration.ofSeconds(90)));
    }
    upstreams.addAll(extraClusters);
    IssuerSettings issuer = new IssuerSettings(idp.issuer(), List.of("kubernetes"), "kgate",
        IssuerSettings.DEFAULT_ALGORITHMS, Duration.ofSeconds(30),
        new IssuerSettings.ClaimMapping("email", "", "groups", ""), dir.resolve("idp-ca.crt"));
    this.config = auditYaml != null ? fromFile(auditYaml) : new GatewayConfig(
        new GatewayConfig.Listen("127.0.0.1", 0, new GatewayConfig.Tls(dir.resolve("tls.crt"), dir.resolve("tls.key"), null)),
        List.of(issuer), upstreams,
        limits != null ? limits : new GatewayConfig.Limits(ConfigLoader.DEFAULT_MAX_INITIAL_LINE_LENGTH,
            ConfigLoader.DEFAULT_MAX_HEADER_SIZE, ConfigLoader.DEFAULT_MAX_HEADER_LIST_SIZE, Duration.ofMinutes(5),
            Duration.ofSeconds(10)),
        new GatewayConfig.Audit(dir.resolve("audit"), true, ConfigLoader.DEFAULT_AUDIT_FSYNC_INTERVAL,
            ConfigLoader.DEFAULT_AUDIT_RETENTION, null).withSessions(sessions),
        policyYaml == null ? null : policy(dir.resolve("policy.yaml"), policyYaml),
        new GatewayConfig.Admin("127.0.0.1", 0));
    this.gateway = GatewayServer.start(config);
  }

  private GatewayConfig fromFile(String auditYaml) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, configYamlWithAudit("audit", auditYaml, "", clusters.keySet().toArray(String[]::new)));
    return ConfigLoader.load(file);
  }

  public static GatewayWorld start(Path dir, String... clusterNames) throws Exception {
    return start(dir, List.of(clusterNames), List.of());
  }

  public static GatewayWorld start(Path dir, List<String> clusterNames, List<GatewayConfig.Cluster> extra) throws Exception {
    return withClusters(dir, clusterNames.stream().map(SimCluster::start).toList(), extra);
  }

  /** A world around clusters the caller built (and this world will close). */
  public static GatewayWorld withClusters(Path dir, List<SimCluster> clusters, List<GatewayConfig.Cluster> extra)
      throws Exception {
    return new GatewayWorld(dir, clusters, extra, null);
  }

  /** A world whose gateway enforces the policy written as {@code policyYaml}. */
  public static GatewayWorld withPolicy(Path dir, String policyYaml, String... clusterNames) throws Exception {
    return new GatewayWorld(dir, Arrays.stream(clusterNames).map(SimCluster::start).toList(), List.of(), policyYaml);
  }

  /** A world whose gateway has these per-person and connection limits. */
  public static GatewayWorld withLimits(Path dir, GatewayConfig.PerUser perUser, int maxConnections,
      String... clusterNames) throws Exception {
    GatewayConfig.Limits limits = new GatewayConfig.Limits(ConfigLoader.DEFAULT_MAX_INITIAL_LINE_LENGTH,
        ConfigLoader.DEFAULT_MAX_HEADER_SIZE, ConfigLoader.DEFAULT_MAX_HEADER_LIST_SIZE, Duration.ofMinutes(5),
        Duration.ofSeconds(10), perUser, maxConnections);
    return new GatewayWorld(dir, Arrays.stream(clusterNames).map(SimCluster::start).toList(), List.of(), null, limits);
  }

  /**
   * A world whose gateway is started from a configuration file (see {@link #configYamlWithAudit}) whose
   * {@code audit:} section holds {@code auditYaml} (block YAML, unindented) beside its {@code dir}.
   */
  public static GatewayWorld withAuditConfig(Path dir, String auditYaml, String... clusterNames) throws Exception {
    return new GatewayWorld(dir, Arrays.stream(clusterNames).map(SimCluster::start).toList(), List.of(), null, null,
        GatewayConfig.Sessions.DEFAULTS, auditYaml);
  }

  /** A world whose gateway records exec and attach sessions as {@code sessions} says. */
  public static GatewayWorld withSessions(Path dir, GatewayConfig.Sessions sessions, String... clusterNames)
      throws Exception {
    return new GatewayWorld(dir, Arrays.stream(clusterNames).map(SimCluster::start).toList(), List.of(), null, null,
        sessions);
  }

  private static GatewayConfig.PolicySource policy(Path file, String yaml) throws Exception {
    Files.writeString(file, yaml);
    return new GatewayConfig.PolicySource(file, PolicyLoader.load(file));
  }

  /**
   * A gateway configuration file's text for this world's IdP and the named clusters, using the
   * certificate, CA and token files the world wrote, for tests that run a gateway from a file
   * (in a child JVM, or to edit while it runs). Paths are relative to {@link #dir}.
   *
   * @param extraYaml more top-level keys, e.g. {@code limits: …}; may be empty
   */
  public String configYaml(String auditDir, String extraYaml, String... clusterNames) {
    return configYamlWithAudit(auditDir, "", extraYaml, clusterNames);
  }

  /** As above, with more keys of the {@code audit:} section (block YAML, unindented; may be empty). */
  public String configYamlWithAudit(String auditDir, String auditYaml, String extraYaml, String... clusterNames) {
    StringBuilder yaml = new StringBuilder("""
        listen: { address: 127.0.0.1, port: 0, tls: { cert: tls.crt, key: tls.key } }
        oidc:
          issuers:
            - url: %s
              audiences: [kubernetes]
              clientId: kgate
              ca: idp-ca.crt
              claims: { username: email, groups: groups }
        clusters:
        """.formatted(idp.issuer()));
    for (String name : clusterNames) {
      yaml.append("  - { name: ").append(name).append(", server: \"").append(cluster(name).url())
          .append("\", ca: ").append(name).append("-ca.crt, credentials: { tokenFile: ").append(name)
          .append(".token } }\n");
    }
    yaml.append("audit:\n  dir: ").append(auditDir).append('\n');
    auditYaml.lines().forEach(line -> yaml.append("  ").append(line).append('\n'));
    yaml.append(extraYaml);
    return yaml.toString();
  }

  /** The directory of the gateway's audit log. */
  public Path auditDir() {
    return config.audit().dir();
  }

  public SimCluster cluster(String name) {
    return clusters.get(name);
  }

  public String url(String cluster, String path) {
    return "https://127.0.0.1:" + gateway.port() + "/clusters/" + cluster + path;
  }

  public String tokenFor(String email, List<String> groups) {
    return idp.mintToken(email, Map.of("email", email, "email_verified", true, "groups", groups), Duration.ofHours(1));
  }

  /** Writes a kubeconfig with one context per cluster, verifying the gateway with its CA. */
  public Path writeKubeconfig(Path file, String token) throws IOException {
    String ca = java.util.Base64.getEncoder().encodeToString(pki.caCertificatePem().getBytes());
    StringBuilder y = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
    for (String name : clusters.keySet()) {
      y.append("- name: ").append(name).append("\n  cluster:\n    server: https://127.0.0.1:")
          .append(gateway.port()).append("/clusters/").append(name)
          .append("\n    certificate-authority-data: ").append(ca).append('\n');
    }
    y.append("users:\n- name: user\n  user:\n    token: ").append(token).append("\ncontexts:\n");
    for (String name : clusters.keySet()) {
      y.append("- name: ").append(name).append("\n  context:\n    cluster: ").append(name)
          .append("\n    user: user\n");
    }
    y.append("current-context: ").append(clusters.keySet().iterator().next()).append('\n');
    Files.writeString(file, y);
    return file;
  }

  @Override
  public void close() {
    gateway.close();
    clusters.values().forEach(SimCluster::close);
    idp.close();
  }
}
