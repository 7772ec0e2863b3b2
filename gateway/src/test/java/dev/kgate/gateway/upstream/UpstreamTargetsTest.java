package dev.kgate.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kgate.gateway.config.ConfigError;
import dev.kgate.gateway.config.ConfigException;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.config.GatewayConfig.Credentials;
import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.TestPki;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamTargetsTest {

  static TestPki pki;
  static IssuedCertificate clientCert;

  @TempDir Path dir;
  ScheduledThreadPoolExecutor background;
  InClusterEnvironment noPod;

  @BeforeAll
  static void issue() {
    pki = TestPki.create("targets-ca");
    clientCert = pki.issueClient("kgate-gateway", List.of());
  }

  @BeforeEach
  void setUp() throws IOException {
    background = new ScheduledThreadPoolExecutor(1);
    background.setRemoveOnCancelPolicy(true);
    pki.writeCaPem(dir.resolve("ca.crt"));
    Files.writeString(dir.resolve("token"), "file-token\n");
    noPod = new InClusterEnvironment(Map.of(), dir.resolve("no-such-dir"));
  }

  @AfterEach
  void tearDown() {
    background.shutdownNow();
  }

  @Test
  void aTokenFileClusterResolvesItsEndpointAndCredential() throws Exception {
    try (UpstreamTargets targets =
        resolve(cluster("prod-eu", "https://10.0.0.1:6443/k8s/prod", "ca.crt", tokenFile()))) {
      UpstreamTarget target = targets.find("prod-eu").orElseThrow();

      assertThat(target.clusterName()).isEqualTo("prod-eu");
      assertThat(target.host()).isEqualTo("10.0.0.1");
      assertThat(target.port()).isEqualTo(6443);
      assertThat(target.basePath()).isEqualTo("/k8s/prod");
      assertThat(target.authority()).isEqualTo("10.0.0.1:6443");
      assertThat(target.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(target.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
      assertThat(authorization(target)).isEqualTo("Bearer file-token");
      assertThat(targets.find("nope")).isEmpty();
      assertThat(targets.all()).containsExactly(target);
    }
  }

  @Test
  void anIpv6ServerWithoutPortGetsBracketsInTheAuthorityAndPort443() throws Exception {
    try (UpstreamTargets targets = resolve(cluster("v6", "https://[fd00::1]", "ca.crt", tokenFile()))) {
      UpstreamTarget target = targets.all().get(0);

      assertThat(target.host()).isEqualTo("fd00::1");
      assertThat(target.port()).isEqualTo(443);
      assertThat(target.authority()).isEqualTo("[fd00::1]:443");
      assertThat(target.basePath()).isEmpty();
    }
  }

  @Test
  void aClientCertificateClusterSendsNoAuthorizationHeader() throws Exception {
    clientCert.writePem(dir.resolve("c.crt"), dir.resolve("c.key"), KeyFormat.SEC1_EC);
    Credentials certificate = new Credentials.ClientCertificate(dir.resolve("c.crt"), dir.resolve("c.key"));

    try (UpstreamTargets targets = resolve(cluster("certs", "https://api.example.com", "ca.crt", certificate))) {
      assertThat(authorization(targets.all().get(0))).as("the client's header is removed").isNull();
    }
  }

  @Test
  void aKubeconfigWithATokenParsesIntoATarget() throws Exception {
    Path kubeconfig = kubeconfig("user: { token: kubeconfig-token }", "");

    try (UpstreamTargets targets = resolve(cluster("kc", null, null, new Credentials.Kubeconfig(kubeconfig, null)))) {
      UpstreamTarget target = targets.find("kc").orElseThrow();

      assertThat(target.host()).isEqualTo("10.1.2.3");
      assertThat(target.port()).isEqualTo(6443);
      assertThat(target.basePath()).isEqualTo("/base");
      assertThat(authorization(target)).isEqualTo("Bearer kubeconfig-token");
    }
  }

  @Test
  void aKubeconfigWithClientCertificateDataParsesIntoATarget() throws Exception {
    String user =
        "user: { client-certificate-data: " + base64(clientCert.chainPem())
            + ", client-key-data: " + base64(clientCert.privateKeyPem(KeyFormat.PKCS8)) + " }";
    Path kubeconfig = kubeconfig(user, "");

    try (UpstreamTargets targets =
        resolve(cluster("kc", null, null, new Credentials.Kubeconfig(kubeconfig, "prod")))) {
      assertThat(authorization(targets.all().get(0))).isNull();
    }
  }

  @Test
  void aKubeconfigTokenFileIsFollowedRelativeToTheKubeconfig() throws Exception {
    Files.createDirectories(dir.resolve("kube"));
    Files.writeString(dir.resolve("kube/sa-token"), "relative-token");
    Path kubeconfig = Files.writeString(dir.resolve("kube/config"), kubeconfigText("user: { tokenFile: sa-token }", ""));

    try (UpstreamTargets targets = resolve(cluster("kc", null, null, new Credentials.Kubeconfig(kubeconfig, null)))) {
      UpstreamTarget target = targets.all().get(0);
      assertThat(authorization(target)).isEqualTo("Bearer relative-token");
      assertThat(background.getQueue()).as("the token file is watched").hasSize(1);
    }
  }

  @Test
  void aKubeconfigWithExecIsAConfigErrorAndNothingIsRun() throws Exception {
    Path marker = dir.resolve("plugin-ran");
    Path plugin = Files.writeString(dir.resolve("plugin.sh"), "#!/bin/sh\ntouch " + marker + "\n");
    plugin.toFile().setExecutable(true);
    Path kubeconfig =
        kubeconfig(
            "user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: " + plugin + " } }", "");

    List<ConfigError> errors = errorsOf(cluster("kc", null, null, new Credentials.Kubeconfig(kubeconfig, null)));

    assertThat(errors).singleElement().satisfies(error -> {
      assertThat(error.path()).isEqualTo("clusters[0].credentials.kubeconfig");
      assertThat(error.message())
          .startsWith("context 'prod': exec credential plugins are not supported ('" + plugin + "')");
    });
    assertThat(marker).as("the exec plugin was never started").doesNotExist();
  }

  @Test
  void authProviderBasicAuthAndImpersonationInAKubeconfigAreRefused() throws Exception {
    Path kubeconfig =
        kubeconfig(
            "user: { auth-provider: { name: oidc, config: { id-token: x } }, username: admin,"
                + " password: secret, as: root }",
            "");

    List<ConfigError> errors = errorsOf(cluster("kc", null, null, new Credentials.Kubeconfig(kubeconfig, null)));

    assertThat(errors)
        .extracting(ConfigError::message)
        .anySatisfy(m -> assertThat(m).contains("auth-provider plugins are not supported ('oidc'"))
        .anySatisfy(m -> assertThat(m).contains("basic authentication is not supported"))
        .anySatisfy(m -> assertThat(m).contains("impersonation (as, as-groups, as-uid, as-user-extra) is not supported"))
        .allSatisfy(m -> assertThat(m).doesNotContain("secret"));
  }

  @Test
  void anUnknownContextListsTheKnownOnes() throws Exception {
    Path kubeconfig = kubeconfig("user: { token: t }", "");

    assertThat(errorsOf(cluster("kc", null, null, new Credentials.Kubeconfig(kubeconfig, "staging"))))
        .containsExactly(
            new ConfigError(
                "clusters[0].credentials.context",
                "context 'staging' not found in the kubeconfig; it has: prod"));
  }

  @Test
  void insecureSkipTlsVerifyNeedsTheGatewaysOwnCa() throws Exception {
    Path kubeconfig = kubeconfig("user: { token: t }", "insecure-skip-tls-verify: true");

    assertThat(errorsOf(cluster("kc", null, null, new Credentials.Kubeconfig(kubeconfig, null))))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("insecure-skip-tls-verify is not allowed"));
    try (UpstreamTargets targets =
        resolve(cluster("kc", null, "ca.crt", new Credentials.Kubeconfig(kubeconfig, null)))) {
      assertThat(targets.all()).hasSize(1);
    }
  }

  @Test
  void aKubeconfigWithoutCaAndNoCaInTheGatewayConfigIsRefused() throws Exception {
    Path kubeconfig =
        Files.writeString(
            dir.resolve("no-ca-kubeconfig"),
            kubeconfigText("user: { token: t }", "").replaceAll("certificate-authority-data: \\S+", ""));

    assertThat(errorsOf(cluster("kc", null, null, new Credentials.Kubeconfig(kubeconfig, null))))
        .containsExactly(
            new ConfigError("clusters[0].ca", "required: the kubeconfig's cluster has no certificate-authority(-data)"));
  }

  @Test
  void anInClusterCredentialUsesTheServiceEnvironmentAndAccountDirectory() throws Exception {
    Path sa = Files.createDirectories(dir.resolve("serviceaccount"));
    pki.writeCaPem(sa.resolve("ca.crt"));
    Files.writeString(sa.resolve("token"), "sa-token");
    InClusterEnvironment pod =
        new InClusterEnvironment(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"), sa);

    try (UpstreamTargets targets =
        UpstreamTargets.resolve(List.of(cluster("home", null, null, new Credentials.InCluster())), background, pod)) {
      UpstreamTarget target = targets.all().get(0);
      assertThat(target.authority()).isEqualTo("10.96.0.1:443");
      assertThat(authorization(target)).isEqualTo("Bearer sa-token");
    }
  }

  @Test
  void inClusterOutsideAPodSaysSo() {
    assertThat(errorsOf(cluster("home", null, null, new Credentials.InCluster())))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.path()).isEqualTo("clusters[0].credentials.inCluster");
          assertThat(e.message()).startsWith("KUBERNETES_SERVICE_HOST is not set");
        });
  }

  @Test
  void everyBrokenClusterIsReportedAndNothingKeepsRunning() throws Exception {
    Files.writeString(dir.resolve("empty-token"), "");
    Path kubeconfig = kubeconfig("user: { exec: { apiVersion: v1, command: x } }", "");

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                resolve(
                    cluster("good", "https://10.0.0.1", "ca.crt", tokenFile()),
                    cluster("empty", "https://10.0.0.2", "ca.crt", new Credentials.TokenFile(dir.resolve("empty-token"))),
                    cluster("kc", null, null, new Credentials.Kubeconfig(kubeconfig, null))));

    assertThat(e.errors())
        .extracting(ConfigError::path)
        .containsExactly("clusters[1].credentials.tokenFile", "clusters[2].credentials.kubeconfig");
    assertThat(e.errors().get(0).message()).contains("is empty");
    assertThat(background.getQueue()).as("the good cluster's token watch was stopped").isEmpty();
  }

  private UpstreamTargets resolve(GatewayConfig.Cluster... clusters) throws ConfigException {
    return UpstreamTargets.resolve(List.of(clusters), background, noPod);
  }

  private List<ConfigError> errorsOf(GatewayConfig.Cluster cluster) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> resolve(cluster).close());
    assertThat(e).as("resolution fails").isNotNull();
    return e.errors();
  }

  private GatewayConfig.Cluster cluster(String name, String server, String ca, Credentials credentials) {
    return new GatewayConfig.Cluster(
        name,
        server == null ? null : URI.create(server),
        ca == null ? null : dir.resolve(ca),
        null,
        credentials,
        Duration.ofSeconds(5),
        Duration.ofSeconds(60));
  }

  private Credentials tokenFile() {
    return new Credentials.TokenFile(dir.resolve("token"));
  }

  private Path kubeconfig(String user, String clusterExtra) throws IOException {
    return Files.writeString(dir.resolve("kubeconfig"), kubeconfigText(user, clusterExtra));
  }

  private static String kubeconfigText(String user, String clusterExtra) {
    return """
        apiVersion: v1
        kind: Config
        current-context: prod
        clusters:
        - name: prod-cluster
          cluster:
            server: https://10.1.2.3:6443/base/
            certificate-authority-data: %s
            %s
        contexts:
        - name: prod
          context: { cluster: prod-cluster, user: prod-user }
        users:
        - name: prod-user
          %s
        """
        .formatted(base64(pki.caCertificatePem()), clusterExtra, user);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static String authorization(UpstreamTarget target) {
    HttpHeaders headers = new DefaultHttpHeaders().add(HttpHeaderNames.AUTHORIZATION, "Bearer client-token");
    target.credential().applyTo(headers);
    return headers.get(HttpHeaderNames.AUTHORIZATION);
  }
}
