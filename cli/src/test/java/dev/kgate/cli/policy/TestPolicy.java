package dev.kgate.cli.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small, realistic policy the can-i and who-can tests ask questions of, and a way to write files. */
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
}
