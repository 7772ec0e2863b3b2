package dev.kgate.cli.demo;

import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.server.GatewayServer;
import dev.kgate.sim.cluster.SimCluster;
import dev.kgate.cli.login.LoginPlugin;
import dev.kgate.sim.idp.LoginPageIdp;
import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Everything {@code kgate demo} runs, in one process: a throwaway CA and the gateway's certificate,
 * the built-in IdP with its login page ({@link LoginPageIdp}: alice and bob), two simulated clusters
 * ({@value #PROD} and {@value #STAGING}), and the real gateway started from a {@code gateway.yaml}
 * loaded by the same {@link ConfigLoader} as {@code kgate serve}. It writes the kubeconfig kubectl
 * uses, whose user runs the {@code kgate credential} plugin: nobody is signed in until a person
 * runs {@code kgate login} and signs in at the login page. Closing it stops everything, gateway
 * first.
 */
public final class Demo implements AutoCloseable {

  /** The gateway listens on loopback only: the demo is nobody else's business. */
  public static final String ADDRESS = "127.0.0.1";
  public static final String PROD = "prod-eu";
  public static final String STAGING = "staging";
  /** The public client the CLI logs in as, published by the gateway at {@code /.well-known/kgate}. */
  public static final String CLIENT_ID = "kgate";
  public static final String AUDIENCE = "kubernetes";
  /** sre, with a second factor: the one who may run commands in pods once she proves it. */
  public static final LoginPageIdp.User ALICE = new LoginPageIdp.User(
      "alice", "alice-pw", "alice@example.com", List.of("sre"), "424242");
  /** dev, without a second factor: reads pods and deployments on staging, nothing on prod. */
  public static final LoginPageIdp.User BOB = new LoginPageIdp.User(
      "bob", "bob-pw", "bob@example.com", List.of("dev"), null);
  public static final String USER_EMAIL = ALICE.email();

  /** A file the banner suggests copying into a pod. */
  static final String SAMPLE_FILE = "hello.txt";
  static final String POLICY_FILE = "policy.yaml";
  /** The plugin's token cache: the demo's own, so it never touches ~/.kube/cache. */
  static final String CACHE_DIR = "cache";
  /**
   * The demo's policy. Group {@code sre} (alice) may read everything and change the usual
   * workload objects, may run commands in and tunnel into pods only with a second factor from the
   * last hour, and never touches secrets in {@code kube-system}; group {@code dev} (bob) reads
   * pods and deployments on staging. The gateway re-reads the file when it changes.
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
            - { verbs: [get, list, watch], apiGroups: ["*"], resources: ["*"], namespaces: ["*"] }
            - { verbs: [get, list, watch], apiGroups: ["*"], resources: ["*"], clusterScoped: true }
            - { verbs: [create, update, patch, delete], apiGroups: ["", apps],
                resources: [pods, deployments, configmaps, services], namespaces: ["*"] }
            # Commands in containers and tunnels into them: only with a second factor from the last hour.
            - { verbs: [create], resources: [pods/exec, pods/attach, pods/portforward], namespaces: ["*"],
                mfa: { required: true, maxAge: 1h } }
          deny:
            - { verbs: ["*"], resources: [secrets], namespaces: [kube-system] }
        - name: dev
          subjects: { groups: [dev] }
          clusters: [staging]
          impersonate: { groups: ["kgate:dev"] }
          rules:
            - { verbs: [get, list, watch], apiGroups: ["", apps], resources: [pods, pods/log, deployments], namespaces: ["*"] }
      """;

  private static final Logger log = LoggerFactory.getLogger(Demo.class);

  private final Path dir;
  private final Path kubeconfig;
  private final Path sampleFile;
  private final GatewayServer gateway;
  private final URI idp;
  private final List<AutoCloseable> resources;

  private Demo(Path dir, Path kubeconfig, Path sampleFile, GatewayServer gateway, URI idp, List<AutoCloseable> resources) {
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.sampleFile = sampleFile;
    this.gateway = gateway;
    this.idp = idp;
    this.resources = List.copyOf(resources);
  }

  /**
   * Starts the demo; on failure everything already started is closed again.
   *
   * @param port gateway port on 127.0.0.1 (0 picks a free one)
   * @param directory where the demo writes its files (created if missing)
   * @param clock the IdP's time
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
      Path gatewayCa = files.writePublic("ca.crt", pki.caCertificatePem());
      files.writePublic("gateway.crt", serverCertificate.chainPem());
      files.writePrivate("gateway.key", serverCertificate.privateKeyPem(KeyFormat.PKCS8));

      LoginPageIdp idp = LoginPageIdp.start(List.of(ALICE, BOB), CLIENT_ID, AUDIENCE, clock);
      started.push(idp);
      String idpCa = "idp-ca.crt";
      Path idpCaFile = files.writePublic(idpCa, idp.caCertificatePem());

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

      URI gatewayUrl = URI.create("https://" + ADDRESS + ":" + gateway.port());
      // Nobody is signed in yet: kubectl runs the login plugin, and `kgate login` signs in at the IdP.
      List<String> pluginOptions = LoginPlugin.options(gatewayUrl, gatewayCa, idp.issuer().toString(), CLIENT_ID,
          idpCaFile, files.directory(CACHE_DIR));
      DemoKubeconfig kubeconfig = new DemoKubeconfig(gatewayUrl, List.of(PROD, STAGING), pki.caCertificatePem(),
          "kgate@" + gatewayUrl.getRawAuthority(), LoginPlugin.ofThisInstallation(System::getenv), pluginOptions);
      Path kubeconfigFile = files.writePrivate("kubeconfig", kubeconfig.toYaml(yaml));
      Path sample = files.writePublic(SAMPLE_FILE, "hello from the kgate demo\n");
      return new Demo(files.dir(), kubeconfigFile, sample, gateway, idp.issuer(), new ArrayList<>(started));
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
    return new DemoBanner(port(), List.of(PROD, STAGING), idp, List.of(ALICE, BOB), kubeconfig, sampleFile,
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

  private static YAMLMapper yamlMapper() {
    return YAMLMapper.builder()
        .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
        .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
        .build();
  }
}
