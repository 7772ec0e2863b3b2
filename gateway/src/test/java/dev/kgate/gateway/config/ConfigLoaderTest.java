package dev.kgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kgate.auth.IssuerSettings;
import dev.kgate.gateway.config.GatewayConfig.ClientAuth;
import dev.kgate.gateway.config.GatewayConfig.Credentials;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ListAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final String MINIMAL =
      """
      listen: { tls: { cert: tls.crt, key: tls.key } }
      oidc: { issuers: [ { url: "https://idp.example.com", audiences: [kgate] } ] }
      clusters:
        - { name: one, server: "https://10.0.0.1:6443", ca: prod-eu-ca.crt,
            credentials: { tokenFile: secrets/prod-eu/token } }
      """;

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void writeFiles() throws IOException {
    fixture = ConfigFixture.writeTo(dir);
  }

  @Test
  void aGoodConfigurationLoadsIntoTheExpectedRecords() throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, ConfigFixture.GOOD_YAML);

    GatewayConfig config = ConfigLoader.load(file);

    assertThat(config.listen())
        .isEqualTo(
            new GatewayConfig.Listen(
                "127.0.0.1",
                0,
                new GatewayConfig.Tls(
                    dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("client-ca.crt"),
                    ClientAuth.REQUIRE)));
    assertThat(config.issuers())
        .containsExactly(
            new IssuerSettings(
                URI.create("https://idp.example.com/realms/eng"),
                List.of("kubernetes"),
                "kgate-cli",
                Set.of("RS256", "ES256"),
                Duration.ofSeconds(45),
                new IssuerSettings.ClaimMapping("email", "oidc:", "groups", "oidc:"),
                dir.resolve("idp-ca.crt")));
    assertThat(config.clusters())
        .containsExactly(
            new GatewayConfig.Cluster(
                "prod-eu",
                URI.create("https://10.0.0.1:6443"),
                dir.resolve("prod-eu-ca.crt"),
                "api.prod-eu.internal",
                new Credentials.TokenFile(dir.resolve("secrets/prod-eu/token")),
                Duration.ofSeconds(2),
                Duration.ofMinutes(1)),
            new GatewayConfig.Cluster(
                "staging",
                URI.create("https://staging.example.com"),
                dir.resolve("prod-eu-ca.crt"),
                null,
                new Credentials.ClientCertificate(dir.resolve("client.crt"), dir.resolve("client.key")),
                ConfigLoader.DEFAULT_CONNECT_TIMEOUT,
                ConfigLoader.DEFAULT_UPSTREAM_IDLE_TIMEOUT),
            new GatewayConfig.Cluster(
                "from-kubeconfig",
                null,
                null,
                null,
                new Credentials.Kubeconfig(dir.resolve("kc.yaml"), "prod"),
                ConfigLoader.DEFAULT_CONNECT_TIMEOUT,
                ConfigLoader.DEFAULT_UPSTREAM_IDLE_TIMEOUT),
            new GatewayConfig.Cluster(
                "home",
                null,
                null,
                null,
                new Credentials.InCluster(),
                ConfigLoader.DEFAULT_CONNECT_TIMEOUT,
                ConfigLoader.DEFAULT_UPSTREAM_IDLE_TIMEOUT));
    assertThat(config.limits())
        .isEqualTo(
            new GatewayConfig.Limits(
                4096, 32768, 16384, Duration.ofMinutes(30), Duration.ofSeconds(5)));
    assertThat(config.audit()).isEqualTo(new GatewayConfig.Audit(dir.resolve("audit"), false,
        ConfigLoader.DEFAULT_AUDIT_FSYNC_INTERVAL, ConfigLoader.DEFAULT_AUDIT_RETENTION, null));
  }

  @Test
  void omittedSettingsTakeTheNamedDefaults() throws Exception {
    GatewayConfig config = ConfigLoader.parse(MINIMAL, dir);

    assertThat(config.listen().address()).isEqualTo(ConfigLoader.DEFAULT_LISTEN_ADDRESS);
    assertThat(config.listen().port()).isEqualTo(ConfigLoader.DEFAULT_LISTEN_PORT);
    assertThat(config.listen().tls().clientAuth()).isEqualTo(ClientAuth.NONE);
    assertThat(config.listen().tls().clientCa()).isNull();
    IssuerSettings issuer = config.issuers().get(0);
    assertThat(issuer.algorithms()).isEqualTo(IssuerSettings.DEFAULT_ALGORITHMS);
    assertThat(issuer.clockSkew()).isEqualTo(IssuerSettings.DEFAULT_CLOCK_SKEW);
    assertThat(issuer.clientId()).isNull();
    assertThat(issuer.caFile()).isNull();
    assertThat(issuer.claims())
        .isEqualTo(
            new IssuerSettings.ClaimMapping(
                ConfigLoader.DEFAULT_USERNAME_CLAIM, "", ConfigLoader.DEFAULT_GROUPS_CLAIM, ""));
    assertThat(issuer.tokenTypes()).isEqualTo(IssuerSettings.TokenTypes.DEFAULT);
    assertThat(issuer.mfa()).isEqualTo(IssuerSettings.MfaRule.NONE);
    assertThat(config.limits())
        .isEqualTo(
            new GatewayConfig.Limits(
                ConfigLoader.DEFAULT_MAX_INITIAL_LINE_LENGTH,
                ConfigLoader.DEFAULT_MAX_HEADER_SIZE,
                ConfigLoader.DEFAULT_MAX_HEADER_LIST_SIZE,
                ConfigLoader.DEFAULT_CLIENT_IDLE_TIMEOUT,
                ConfigLoader.DEFAULT_TLS_HANDSHAKE_TIMEOUT));
    assertThat(config.audit())
        .isEqualTo(
            new GatewayConfig.Audit(
                ConfigLoader.DEFAULT_AUDIT_DIR, ConfigLoader.DEFAULT_AUDIT_FAIL_CLOSED,
                ConfigLoader.DEFAULT_AUDIT_FSYNC_INTERVAL, ConfigLoader.DEFAULT_AUDIT_RETENTION, null));
    assertThat(config.policy()).isNull();
    assertThat(config.clusters().get(0).connectTimeout())
        .isEqualTo(ConfigLoader.DEFAULT_CONNECT_TIMEOUT);
  }

  @Test
  void aConfigurationWithManyMistakesReportsAllOfThemWithTheirKeyPaths() {
    String yaml =
        """
        listen:
          adress: 0.0.0.0
          port: 70000
          tls: { cert: missing.crt, key: tls.key }
        oidc:
          issuers:
            - url: https://idp.example.com
              audiences: [kgate]
              algorithms: [RS256, HS256]
              clockSkew: 30 seconds
        clusters:
          - name: prod
            server: https://10.0.0.1:6443
            ca: prod-eu-ca.crt
            credentials: { tokenFile: secrets/prod-eu/token, kubeconfig: kc.yaml }
          - name: prod
            server: https://10.0.0.2:6443
            ca: prod-eu-ca.crt
            credentials: { tokenFile: nowhere/token }
            idleTimeout: 90
        audit: { failClosed: maybe }
        """;

    List<ConfigError> errors = errorsOf(yaml);

    assertError(errors, "listen.adress", "unknown key; did you mean 'address'?");
    assertError(errors, "listen.port", "must be between 0 and 65535, was 70000");
    assertError(errors, "listen.tls.cert", "file does not exist: " + dir.resolve("missing.crt"));
    assertError(errors, "oidc.issuers[0].algorithms[1]", "HS256 is refused");
    assertError(errors, "oidc.issuers[0].clockSkew", "expected a duration like 500ms, 10s, 5m, 1h or 1d, was '30 seconds'");
    assertError(errors, "clusters[0].credentials", "exactly one credential kind is allowed, found tokenFile and kubeconfig");
    assertError(errors, "clusters[1].name", "duplicate cluster name 'prod', already used by clusters[0]");
    assertError(errors, "clusters[1].credentials.tokenFile", "file does not exist: " + dir.resolve("nowhere/token"));
    assertError(errors, "clusters[1].idleTimeout", "expected a duration");
    assertError(errors, "audit.failClosed", "expected true or false");
    assertThat(errors).as("nothing but the ten mistakes is reported").hasSize(10);
  }

  @Test
  void theExceptionMessageHasOneLinePerError() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> ConfigLoader.parse(MINIMAL + "limits: { bogus: 1, clientIdleTimeout: 1y }\n", dir));

    assertThat(e.getMessage().lines())
        .containsExactly(
            "limits.bogus: unknown key; expected one of maxInitialLineLength, maxHeaderSize,"
                + " maxHeaderListSize, clientIdleTimeout, tlsHandshakeTimeout, perUser, maxConnections",
            "limits.clientIdleTimeout: expected a duration like 500ms, 10s, 5m, 1h or 1d, was '1y'");
  }

  @Test
  void unknownTopLevelKeysAreErrorsWithASuggestion() {
    assertError(errorsOf(MINIMAL + "clsuters: []\n"), "clsuters", "unknown key; did you mean 'clusters'?");
  }

  @Test
  void misspeltCredentialKindIsCaughtWithItsPath() {
    String yaml = MINIMAL.replace("tokenFile:", "tokenfile:");

    List<ConfigError> errors = errorsOf(yaml);

    assertError(errors, "clusters[0].credentials.tokenfile", "did you mean 'tokenFile'?");
  }

  @Test
  void hmacAndNoneAlgorithmsAreRefused() {
    List<ConfigError> errors =
        errorsOf(MINIMAL.replace("audiences: [kgate]", "audiences: [kgate], algorithms: [none, HS512, XY999]"));

    assertError(errors, "oidc.issuers[0].algorithms[0]", "'none' is refused");
    assertError(errors, "oidc.issuers[0].algorithms[1]", "HS512 is refused");
    assertError(errors, "oidc.issuers[0].algorithms[2]", "unknown algorithm 'XY999'");
  }

  @Test
  void twoCredentialKindsAreOneErrorAtTheCredentialsPath() {
    String yaml =
        MINIMAL.replace(
            "credentials: { tokenFile: secrets/prod-eu/token }",
            "credentials: { clientCert: client.crt, clientKey: client.key, inCluster: true }");

    List<ConfigError> errors = errorsOf(yaml);

    assertThat(errors)
        .containsExactly(
            new ConfigError(
                "clusters[0].credentials",
                "exactly one credential kind is allowed, found clientCert/clientKey and inCluster;"
                    + " choose one of tokenFile, clientCert + clientKey, kubeconfig (+ context) or"
                    + " inCluster: true"));
  }

  @Test
  void noCredentialKindIsAnError() {
    assertError(
        errorsOf(MINIMAL.replace("{ tokenFile: secrets/prod-eu/token }", "{ inCluster: false }")),
        "clusters[0].credentials",
        "one credential kind is required");
  }

  @Test
  void aClientCertificateNeedsItsKey() {
    assertError(
        errorsOf(MINIMAL.replace("{ tokenFile: secrets/prod-eu/token }", "{ clientCert: client.crt }")),
        "clusters[0].credentials.clientKey",
        "required");
  }

  @Test
  void atLeastOneIssuerAndOneClusterAreRequired() {
    String yaml =
        """
        listen: { tls: { cert: tls.crt, key: tls.key } }
        oidc: { issuers: [] }
        clusters: []
        """;

    List<ConfigError> errors = errorsOf(yaml);

    assertThat(errors)
        .containsExactly(
            new ConfigError("oidc.issuers", "at least one issuer is required"),
            new ConfigError("clusters", "at least one cluster is required"));
  }

  @Test
  void missingSectionsAreReportedAsRequired() {
    assertThat(errorsOf("audit: { failClosed: true }\n"))
        .containsExactly(
            new ConfigError("listen", "required"),
            new ConfigError("oidc", "required"),
            new ConfigError("clusters", "at least one cluster is required"));
  }

  @Test
  void clusterNamesMustBeDnsLabelsAndServersHttps() {
    String yaml =
        MINIMAL.replace("name: one", "name: Prod_EU").replace("https://10.0.0.1:6443", "http://10.0.0.1:6443");

    List<ConfigError> errors = errorsOf(yaml);

    assertError(errors, "clusters[0].name", "must be a DNS label");
    assertError(errors, "clusters[0].server", "expected an https URL like https://10.0.0.1:6443, was 'http://10.0.0.1:6443'");
  }

  @Test
  void aCaIsRequiredUnlessTheCredentialBringsOne() throws Exception {
    List<ConfigError> errors = errorsOf(MINIMAL.replace("ca: prod-eu-ca.crt,", ""));
    assertThat(errors)
        .containsExactly(
            new ConfigError(
                "clusters[0].ca",
                "required: the CA bundle (PEM) that signs the API server's certificate"));

    GatewayConfig config =
        ConfigLoader.parse(
            MINIMAL.replace("ca: prod-eu-ca.crt,", "").replace("server: \"https://10.0.0.1:6443\",", "")
                .replace("{ tokenFile: secrets/prod-eu/token }", "{ kubeconfig: kc.yaml }"),
            dir);
    assertThat(config.clusters().get(0).credentials())
        .isEqualTo(new Credentials.Kubeconfig(dir.resolve("kc.yaml"), null));
  }

  @Test
  void aBadPemIsReportedAtItsKey() throws IOException {
    Files.writeString(dir.resolve("empty.crt"), "");
    String yaml =
        MINIMAL
            .replace("cert: tls.crt", "cert: garbage.pem")
            .replace("ca: prod-eu-ca.crt", "ca: empty.crt");

    List<ConfigError> errors = errorsOf(yaml);

    assertThat(errors)
        .containsExactly(
            new ConfigError(
                "listen.tls.cert", "no certificate found: expected a PEM CERTIFICATE block"),
            new ConfigError(
                "clusters[0].ca", "file is empty: expected a PEM CERTIFICATE block"));
  }

  @Test
  void aKeyThatDoesNotMatchTheCertificateIsReportedAtTheKey() {
    List<ConfigError> errors = errorsOf(MINIMAL.replace("key: tls.key", "key: client.key"));

    assertThat(errors).singleElement().satisfies(error -> {
      assertThat(error.path()).isEqualTo("listen.tls.key");
      assertThat(error.message()).startsWith("the private key does not match the certificate");
    });
  }

  @Test
  void clientAuthNeedsAClientCaAndAClientCaNeedsClientAuth() {
    assertThat(errorsOf(MINIMAL.replace("key: tls.key", "key: tls.key, clientAuth: require")))
        .containsExactly(
            new ConfigError("listen.tls.clientAuth", "clientCa is required when clientAuth is require"));
    assertThat(
            errorsOf(MINIMAL.replace("key: tls.key", "key: tls.key, clientCa: client-ca.crt, clientAuth: none")))
        .singleElement()
        .extracting(ConfigError::path)
        .isEqualTo("listen.tls.clientCa");
    assertError(
        errorsOf(MINIMAL.replace("key: tls.key", "key: tls.key, clientAuth: always")),
        "listen.tls.clientAuth",
        "expected none, optional or require, was 'always'");
  }

  @Test
  void aClientCaAloneMakesClientCertificatesOptional() throws Exception {
    GatewayConfig config =
        ConfigLoader.parse(MINIMAL.replace("key: tls.key", "key: tls.key, clientCa: client-ca.crt"), dir);

    assertThat(config.listen().tls().clientAuth()).isEqualTo(ClientAuth.OPTIONAL);
  }

  @Test
  void issuersMustUseHttpsExceptOnLoopback() throws Exception {
    assertError(
        errorsOf(MINIMAL.replace("https://idp.example.com", "http://idp.example.com")),
        "oidc.issuers[0].url",
        "must use https");

    GatewayConfig config = ConfigLoader.parse(MINIMAL.replace("https://idp.example.com", "http://127.0.0.1:8080/default"), dir);
    assertThat(config.issuers().get(0).issuer()).isEqualTo(URI.create("http://127.0.0.1:8080/default"));
  }

  @Test
  void duplicateIssuersAreRefused() {
    String yaml =
        MINIMAL.replace(
            "issuers: [ { url: \"https://idp.example.com\", audiences: [kgate] } ]",
            "issuers: [ { url: \"https://idp.example.com\", audiences: [a] }, { url: \"https://idp.example.com\", audiences: [b] } ]");

    assertError(errorsOf(yaml), "oidc.issuers[1].url", "duplicate issuer, already configured at oidc.issuers[0]");
  }

  @Test
  void tokenTypesExtrasRequiredClaimsAndMfaLoadIntoTheIssuer() throws Exception {
    String yaml =
        MINIMAL.replace(
            "audiences: [kgate]",
            """
            audiences: [kgate], typ: [at+jwt, absent],
            claims: { username: email, extra: [acr, amr, sid, iss],
                      required: [ { claim: tid, equals: "72f988bf" }, { claim: hd, equals: example.com } ] },
            mfa: { amrAny: [mfa, otp, hwk], acrAny: [] }""");

    IssuerSettings issuer = ConfigLoader.parse(yaml, dir).issuers().get(0);

    assertThat(issuer.tokenTypes()).isEqualTo(new IssuerSettings.TokenTypes(Set.of("at+jwt"), true));
    assertThat(issuer.claims().extra()).containsExactly("acr", "amr", "sid", "iss");
    assertThat(issuer.claims().required())
        .as("in the order written")
        .containsExactly(Map.entry("tid", "72f988bf"), Map.entry("hd", "example.com"));
    assertThat(issuer.mfa()).isEqualTo(new IssuerSettings.MfaRule(Set.of("mfa", "otp", "hwk"), Set.of()));
  }

  @Test
  void mistakesInTheIdentityRulesAreReportedTogether() {
    String yaml =
        MINIMAL.replace(
            "audiences: [kgate]",
            """
            audiences: [kgate], typ: [JWT, dpop+jwt],
            claims: { extra: [acr, ACR, "https://x/claim"], required: [ { claim: tid }, { claim: hd, equal: x } ] },
            mfa: { amrAny: [], acrany: [mfa] }""");

    List<ConfigError> errors = errorsOf(yaml);

    assertError(errors, "oidc.issuers[0].typ[1]", "unknown token type 'dpop+jwt'; expected JWT, at+jwt or absent");
    assertError(errors, "oidc.issuers[0].claims.extra[1]", "'ACR' is listed twice");
    assertError(errors, "oidc.issuers[0].claims.extra[2]", "cannot become an extra key");
    assertError(errors, "oidc.issuers[0].claims.required[0].equals", "required");
    assertError(errors, "oidc.issuers[0].claims.required[1].equal", "unknown key; did you mean 'equals'?");
    assertError(errors, "oidc.issuers[0].mfa.acrany", "unknown key; did you mean 'acrAny'?");
  }

  @Test
  void anMfaRuleThatNamesNothingIsRefused() {
    assertError(
        errorsOf(MINIMAL.replace("audiences: [kgate]", "audiences: [kgate], mfa: { amrAny: [] }")),
        "oidc.issuers[0].mfa",
        "name at least one accepted method in amrAny");
  }

  @Test
  void yamlsTildeMeansNullLikeNullDoes() throws Exception {
    GatewayConfig config =
        ConfigLoader.parse(MINIMAL.replace("key: tls.key", "key: tls.key, clientCa: ~"), dir);

    assertThat(config.listen().tls().clientCa()).isNull();
  }

  @Test
  void anExplicitNullGroupsClaimMapsNoGroups() throws Exception {
    GatewayConfig config =
        ConfigLoader.parse(MINIMAL.replace("audiences: [kgate]", "audiences: [kgate], claims: { groups: null }"), dir);

    assertThat(config.issuers().get(0).claims().groups()).isNull();
  }

  @Test
  void yamlSyntaxErrorsNameLineAndColumn() {
    String yaml = "listen:\n  port: [1, 2\nclusters: []\n";

    List<ConfigError> errors = errorsOf(yaml);

    assertThat(errors).singleElement().satisfies(error -> {
      assertThat(error.path()).isEmpty();
      assertThat(error.message()).startsWith("YAML syntax error at line 3, column ");
      assertThat(error.message()).doesNotContain("\n");
    });
  }

  @Test
  void duplicateKeysAreSyntaxErrors() {
    assertThat(errorsOf("listen: {}\nlisten: {}\n"))
        .singleElement()
        .extracting(ConfigError::message)
        .asString()
        .startsWith("YAML syntax error at line 2")
        .contains("duplicate key \"listen\"");
  }

  @Test
  void anEmptyDocumentOrAListIsRefused() {
    assertThat(errorsOf("")).containsExactly(new ConfigError("", "the configuration is empty"));
    assertThat(errorsOf("- a\n")).singleElement().extracting(ConfigError::message).asString().startsWith("expected a mapping");
  }

  @Test
  void aMissingConfigurationFileIsOneError() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage("configuration file does not exist: " + missing);
  }

  @Test
  void relativePathsResolveAgainstTheConfigurationFilesDirectory() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(
        sub.resolve("gateway.yaml"),
        MINIMAL.replace("tls.crt", "../tls.crt").replace("tls.key", "../tls.key")
            .replace("ca: prod-eu-ca.crt", "ca: ../prod-eu-ca.crt")
            .replace("secrets/", "../secrets/"));

    GatewayConfig config = ConfigLoader.load(sub.resolve("gateway.yaml"));

    assertThat(config.listen().tls().cert()).isEqualTo(dir.resolve("tls.crt"));
    assertThat(config.clusters().get(0).credentials())
        .isEqualTo(new Credentials.TokenFile(dir.resolve("secrets/prod-eu/token")));
  }

  @Test
  void theServerUrlKeepsItsBasePathWithoutTrailingSlash() throws Exception {
    GatewayConfig config =
        ConfigLoader.parse(MINIMAL.replace("https://10.0.0.1:6443", "https://lb.example.com/k8s/prod/"), dir);

    assertThat(config.clusters().get(0).server()).isEqualTo(URI.create("https://lb.example.com/k8s/prod"));
  }

  @Test
  void aPolicyFileIsLoadedWithTheConfiguration() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), """
        roles:
          - name: sre
            subjects: { groups: [sre] }
            clusters: ["*"]
            rules:
              - { verbs: [get], resources: [pods], namespaces: ["*"] }
        """);

    GatewayConfig config = ConfigLoader.parse(MINIMAL + "policy: policy.yaml\n", dir);

    assertThat(config.policy().file()).isEqualTo(dir.resolve("policy.yaml"));
    assertThat(config.policy().policy().roles()).extracting(r -> r.name()).containsExactly("sre");
  }

  @Test
  void mistakesInThePolicyFileAreReportedWithTheirPathInsideIt() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), "roles:\n  - name: sre\n    rulez: []\n");

    List<ConfigError> errors = errorsOf(MINIMAL + "policy: policy.yaml\n");

    assertError(errors, "policy", "in policy.yaml: roles[0].rulez");
  }

  @Test
  void aMissingPolicyFileIsAnError() {
    assertError(errorsOf(MINIMAL + "policy: nowhere.yaml\n"), "policy", "file does not exist");
  }

  @Test
  void auditTimingsAreBounded() {
    List<ConfigError> errors = errorsOf(MINIMAL + "audit: { fsyncInterval: 5s, retention: 1h }\n");

    assertError(errors, "audit.fsyncInterval", "must be between");
    assertError(errors, "audit.retention", "must be between");
  }

  @Test
  void sessionRecordingIsOnByDefaultAndConfigurable() throws Exception {
    assertThat(ConfigLoader.parse(MINIMAL, dir).audit().sessions()).isEqualTo(GatewayConfig.Sessions.DEFAULTS)
        .isEqualTo(new GatewayConfig.Sessions(true, 10 * 1024 * 1024, true));

    GatewayConfig.Sessions set = ConfigLoader.parse(
        MINIMAL + "audit: { sessions: { enabled: false, maxBytes: 65536, stdin: false } }\n", dir).audit().sessions();

    assertThat(set).isEqualTo(new GatewayConfig.Sessions(false, 65536, false));
  }

  @Test
  void sessionRecordingSettingsAreChecked() {
    List<ConfigError> errors =
        errorsOf(MINIMAL + "audit: { sessions: { enabled: sometimes, maxBytes: 100, stdn: true } }\n");

    assertError(errors, "audit.sessions.enabled", "expected true or false");
    assertError(errors, "audit.sessions.maxBytes", "must be between 4096 and 1073741824");
    assertError(errors, "audit.sessions.stdn", "did you mean 'stdin'?");
  }

  private List<ConfigError> errorsOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, dir));
    assertThat(e).as("the configuration is refused").isNotNull();
    return e.errors();
  }

  private static ListAssert<ConfigError> assertError(List<ConfigError> errors, String path, String fragment) {
    return assertThat(errors)
        .as("an error at %s containing '%s' in %s", path, fragment, errors)
        .anySatisfy(error -> {
          assertThat(error.path()).isEqualTo(path);
          assertThat(error.message()).contains(fragment);
        });
  }
}
