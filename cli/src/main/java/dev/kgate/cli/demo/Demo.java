package dev.kgate.cli.demo;

import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.server.GatewayServer;
import dev.kgate.sim.cluster.SimCluster;
import dev.kgate.sim.idp.SimIdp;
import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Everything {@code kgate demo} runs, in one process: a throwaway CA and the gateway's certificate,
 * the built-in IdP, two simulated clusters ({@value #PROD} and {@value #STAGING}), and the real
 * gateway started from a {@code gateway.yaml} loaded by the same {@link ConfigLoader} as {@code
 * kgate serve}. It also signs in the demo user (a token minted by the IdP) and writes the
 * kubeconfig kubectl uses. Closing it stops everything, gateway first.
 */
public final class Demo implements AutoCloseable {

  /** The gateway listens on loopback only: the demo is nobody else's business. */
  public static final String ADDRESS = "127.0.0.1";
  public static final String PROD = "prod-eu";
  public static final String STAGING = "staging";
  public static final String USER = "alice";
  public static final String USER_EMAIL = "alice@example.com";
  public static final List<String> USER_GROUPS = List.of("sre");
  /** Password plus one-time code: the token carries the MFA the gateway may ask for. */
  public static final List<String> USER_AMR = List.of("pwd", "otp");
  public static final Duration TOKEN_TTL = Duration.ofHours(12);

  /** A file the banner suggests copying into a pod. */
  static final String SAMPLE_FILE = "hello.txt";
  static final String POLICY_FILE = "policy.yaml";
  /**
   * The demo's policy: group {@code sre} (alice) may do everything except touch secrets in
   * {@code kube-system}. The gateway re-reads the file when it changes, so it can be edited live.
   */
  static final String DEMO_POLICY = """
      # Written by `kgate demo`: who may do what, on which cluster (docs/policy.md).
      # The gateway re-reads this file when it changes: edit it while the demo runs.
      roles:
        - name: sre
          subjects: { groups: [sre] }
          clusters: ["*"]
          impersonate: { groups: ["kgate:sre"] }
          rules:
            - { verbs: ["*"], apiGroups: ["*"], resources: ["*"], namespaces: ["*"] }
            - { verbs: ["*"], apiGroups: ["*"], resources: ["*"], clusterScoped: true }
          deny:
            - { verbs: ["*"], resources: [secrets], namespaces: [kube-system] }
      """;

  private static final Logger log = LoggerFactory.getLogger(Demo.class);

  private final Path dir;
  private final Path kubeconfig;
  private final Path sampleFile;
  private final GatewayServer gateway;
  private final List<AutoCloseable> resources;

  private Demo(Path dir, Path kubeconfig, Path sampleFile, GatewayServer gateway, List<AutoCloseable> resources) {
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.sampleFile = sampleFile;
    this.gateway = gateway;
    this.resources = List.copyOf(resources);
  }

  /**
   * Starts the demo; on failure everything already started is closed again.
   *
   * @param port gateway port on 127.0.0.1 (0 picks a free one)
   * @param directory where the demo writes its files (created if missing)
   * @param clock time for the demo user's sign-in
   */
  public static Demo start(int port, Path directory, Clock clock) throws Exception {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(clock, "clock");
    DemoFiles files = new DemoFiles(directory);
    YAMLMapper yaml = yamlMapper();
    // Closed in reverse order of start, so the gateway goes before what it forwards to.
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      TestPki pki = TestPki.create("kgate demo CA");
      IssuedCertificate serverCertificate =
          pki.issueServer("localhost", List.of("localhost"), List.of(ADDRESS));
      files.writePublic("ca.crt", pki.caCertificatePem());
      files.writePublic("gateway.crt", serverCertificate.chainPem());
      files.writePrivate("gateway.key", serverCertificate.privateKeyPem(KeyFormat.PKCS8));

      SimIdp idp = SimIdp.start();
      started.push(idp);
      String idpCa = null;
      if ("https".equals(idp.issuer().getScheme())) {
        idpCa = "idp-ca.crt";
        files.writePublic(idpCa, idp.caCertificatePem());
      }

      List<DemoGatewayYaml.ClusterEntry> clusters = new ArrayList<>();
      for (String name : List.of(PROD, STAGING)) {
        SimCluster cluster = SimCluster.start(name);
        started.push(cluster);
        String caFile = name + "-ca.crt";
        String tokenFile = name + ".token";
        files.writePublic(caFile, cluster.caCertificatePem());
        files.writePrivate(tokenFile, cluster.gatewayToken());
        clusters.add(new DemoGatewayYaml.ClusterEntry(name, URI.create(cluster.url()), caFile, tokenFile));
      }
      files.directory("audit");
      files.writePublic(POLICY_FILE, DEMO_POLICY);

      DemoGatewayYaml gatewayYaml = new DemoGatewayYaml(
          port, "gateway.crt", "gateway.key", idp.issuer(), idpCa, clusters, "audit", POLICY_FILE);
      Path configFile = files.writePublic("gateway.yaml", gatewayYaml.toYaml(yaml));
      GatewayConfig config = ConfigLoader.load(configFile);
      GatewayServer gateway = GatewayServer.start(config);
      started.push(gateway);

      String token = idp.mintToken(USER, userClaims(clock), TOKEN_TTL);
      URI gatewayUrl = URI.create("https://" + ADDRESS + ":" + gateway.port());
      DemoKubeconfig kubeconfig = new DemoKubeconfig(
          gatewayUrl, List.of(PROD, STAGING), pki.caCertificatePem(), USER, token);
      Path kubeconfigFile = files.writePrivate("kubeconfig", kubeconfig.toYaml(yaml));
      Path sample = files.writePublic(SAMPLE_FILE, "hello from the kgate demo\n");
      return new Demo(files.dir(), kubeconfigFile, sample, gateway, new ArrayList<>(started));
    } catch (Exception | Error failure) {
      closeAll(new ArrayList<>(started), failure);
      throw failure;
    }
  }

  /** Where the demo's files are. */
  public Path directory() {
    return dir;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public int port() {
    return gateway.port();
  }

  /** The banner with the commands to try, as {@code kgate demo} prints it. */
  public DemoBanner banner() {
    return new DemoBanner(port(), List.of(PROD, STAGING), USER_EMAIL, USER_GROUPS, kubeconfig, sampleFile,
        dir.resolve("audit"));
  }

  @Override
  public void close() {
    log.info("stopping the demo");
    closeAll(resources, null);
  }

  private static void closeAll(List<AutoCloseable> resources, Throwable primary) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        if (primary != null) {
          primary.addSuppressed(e);
        } else {
          log.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
        }
      }
    }
  }

  private static Map<String, Object> userClaims(Clock clock) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("email", USER_EMAIL);
    claims.put("email_verified", true);
    claims.put("groups", USER_GROUPS);
    claims.put("amr", USER_AMR);
    claims.put("auth_time", clock.instant().getEpochSecond());
    return claims;
  }

  private static YAMLMapper yamlMapper() {
    return YAMLMapper.builder()
        .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
        .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
        .build();
  }
}
