package dev.kgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kgate.audit.Level;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit.levels} and {@code audit.maxBodyBytes}: read in order, checked with key paths. */
class AuditLevelsConfigTest {

  private static final String MINIMAL =
      """
      listen: { tls: { cert: tls.crt, key: tls.key } }
      oidc: { issuers: [ { url: "https://idp.example.com", audiences: [kgate] } ] }
      clusters:
        - { name: one, server: "https://10.0.0.1:6443", ca: prod-eu-ca.crt,
            credentials: { tokenFile: secrets/prod-eu/token } }
      """;

  @TempDir Path dir;

  @BeforeEach
  void writeFiles() throws IOException {
    ConfigFixture.writeTo(dir);
  }

  @Test
  void rulesAreReadInOrderWithEveryMatcher() throws Exception {
    GatewayConfig.Audit audit = ConfigLoader.parse(MINIMAL + """
        audit:
          maxBodyBytes: 8192
          levels:
            - { level: RequestResponse, clusters: ["prod-*"], verbs: [delete, create] }
            - level: Request
              apiGroups: ["", apps]
              resources: [pods/exec, deployments, "*/scale"]
              namespaces: ["team-*"]
              users: ["alice@example.com"]
              groups: [sre]
            - { level: Metadata }
        """, dir).audit();

    assertThat(audit.maxBodyBytes()).isEqualTo(8192);
    assertThat(audit.levels()).containsExactly(
        new GatewayConfig.LevelRule(Level.RequestResponse, List.of("prod-*"), List.of("delete", "create"),
            List.of(), List.of(), List.of(), List.of(), List.of()),
        new GatewayConfig.LevelRule(Level.Request, List.of(), List.of(), List.of("", "apps"),
            List.of("pods/exec", "deployments", "*/scale"), List.of("team-*"), List.of("alice@example.com"),
            List.of("sre")),
        new GatewayConfig.LevelRule(Level.Metadata, List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of()));
  }

  @Test
  void withoutLevelsEveryRequestIsAtMetadataWithTheDefaultBodyLimit() throws Exception {
    GatewayConfig.Audit audit = ConfigLoader.parse(MINIMAL, dir).audit();

    assertThat(audit.levels()).isEmpty();
    assertThat(audit.maxBodyBytes()).isEqualTo(ConfigLoader.DEFAULT_AUDIT_MAX_BODY_BYTES).isEqualTo(65536);
  }

  @Test
  void noneIsRefusedBecauseEveryRequestIsAudited() {
    List<ConfigError> errors = errorsOf(MINIMAL + """
        audit:
          levels:
            - { level: Request, verbs: [create] }
            - { level: None, users: ["system:serviceaccount:*"] }
        """);

    assertThat(errors).singleElement().satisfies(error -> {
      assertThat(error.path()).isEqualTo("audit.levels[1].level");
      assertThat(error.message()).contains("None is not allowed").contains("every request is audited");
    });
  }

  @Test
  void everyMistakeIsNamedWithItsKeyPath() {
    List<ConfigError> errors = errorsOf(MINIMAL + """
        audit:
          maxBodyBytes: 10
          levels:
            - { verbs: [create] }
            - { level: Requests, verbs: [delte, exec], resources: [Pods, "pods/*"], namespaces: [Team_A] }
            - { level: Request, cluster: [prod], apiGroups: ["apps!"], groups: [] }
            - Request
        """);

    assertError(errors, "audit.maxBodyBytes", "must be between 1024 and 1048576");
    assertError(errors, "audit.levels[0].level", "required; one of Metadata, Request, RequestResponse");
    assertError(errors, "audit.levels[1].level", "must be one of Metadata, Request, RequestResponse, was 'Requests'");
    assertError(errors, "audit.levels[1].level", "did you mean 'Request'?");
    assertError(errors, "audit.levels[1].verbs[0]", "did you mean \"delete\"?");
    assertError(errors, "audit.levels[1].verbs[1]", "resources: [pods/exec]");
    assertError(errors, "audit.levels[1].resources[0]", "'Pods' is not a resource");
    assertError(errors, "audit.levels[1].resources[1]", "'pods/*' is not a resource");
    assertError(errors, "audit.levels[1].namespaces[0]", "'Team_A' is not a namespace name or glob");
    assertError(errors, "audit.levels[2].cluster", "did you mean 'clusters'?");
    assertError(errors, "audit.levels[2].apiGroups[0]", "'apps!' is not an API group");
    assertError(errors, "audit.levels[2].groups", "must not be empty; leave the key out to match any");
    assertError(errors, "audit.levels[3]", "expected a mapping");
  }

  @Test
  void aMisspeltLevelsKeyIsNotSilentlyIgnored() {
    assertError(errorsOf(MINIMAL + "audit: { levls: [ { level: Request } ] }\n"), "audit.levls",
        "did you mean 'levels'?");
  }

  private List<ConfigError> errorsOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, dir));
    assertThat(e).as("the configuration is refused").isNotNull();
    return e.errors();
  }

  private static org.assertj.core.api.ListAssert<ConfigError> assertError(
      List<ConfigError> errors, String path, String fragment) {
    return assertThat(errors)
        .as("an error at %s containing '%s' in %s", path, fragment, errors)
        .anySatisfy(error -> {
          assertThat(error.path()).isEqualTo(path);
          assertThat(error.message()).contains(fragment);
        });
  }
}
