package dev.kgate.cli.policy;

import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A small, realistic policy the can-i and who-can tests ask questions of, and ways to write files. */
final class TestPolicy {

  /** Valid and free of lint warnings, so check has nothing to say about it. */
  static final String YAML = """
      blocked: { users: [mallory@example.com] }
      roles:
        - name: sre
          subjects: { groups: [sre] }
          clusters: ["prod-*", staging]
          impersonate: { groups: ["kgate:sre"] }
          rules:
            - { verbs: [get, list, watch], apiGroups: ["*"], resources: [pods, deployments, secrets], namespaces: ["*"] }
            - { verbs: [create], resources: [pods/exec], namespaces: [payments], mfa: { required: true, maxAge: 10m, acr: mfa } }
          deny:
            - { verbs: ["*"], resources: [secrets], namespaces: [kube-system] }
        - name: dev
          subjects: { groups: [dev], users: [dana@example.com] }
          clusters: ["dev-*"]
          impersonate: { groups: ["kgate:dev"] }
          rules:
            - { verbs: [get, list, watch], apiGroups: [apps], resources: [deployments], namespaces: ["dev-*"] }
            - { verbs: [get, list], resources: [pods], namespaces: ["dev-*"] }
        - name: auditors
          subjects: { groups: [auditors], users: [mallory@example.com] }
          clusters: ["*"]
          impersonate: { groups: ["kgate:audit"] }
          rules:
            - { verbs: [get, list], resources: [pods, secrets], namespaces: ["*"] }
      """;

  private TestPolicy() {}

  static Path write(Path dir, String name, String yaml) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  /**
   * A gateway configuration that loads, written as {@code dir/gateway.yaml}: a real TLS key pair,
   * the given clusters reached in-cluster, and {@code policy.yaml} when {@code withPolicy}.
   */
  static Path gatewayConfig(Path dir, boolean withPolicy, String... clusters) throws IOException {
    TestPki.create("kgate policy test CA")
        .issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"))
        .writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"), KeyFormat.PKCS8);
    StringBuilder clusterList = new StringBuilder();
    for (String cluster : clusters) {
      clusterList.append("  - { name: ").append(cluster).append(", credentials: { inCluster: true } }\n");
    }
    return write(dir, "gateway.yaml", """
        listen: { address: 127.0.0.1, port: 8443, tls: { cert: tls.crt, key: tls.key } }
        oidc:
          issuers:
            - url: https://idp.example.com/realms/eng
              audiences: [kubernetes]
        clusters:
        %s
        audit: { dir: audit }
        """.formatted(clusterList) + (withPolicy ? "policy: policy.yaml\n" : ""));
  }
}
