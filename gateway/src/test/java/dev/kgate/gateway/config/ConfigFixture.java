package dev.kgate.gateway.config;

import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The files a good configuration refers to, written into a test's temporary directory. */
final class ConfigFixture {

  static final String GOOD_YAML =
      """
      listen:
        address: 127.0.0.1
        port: 0
        tls: { cert: tls.crt, key: tls.key, clientCa: client-ca.crt, clientAuth: require }
      oidc:
        issuers:
          - url: https://idp.example.com/realms/eng
            audiences: [kubernetes]
            clientId: kgate-cli
            algorithms: [RS256, ES256]
            clockSkew: 45s
            ca: idp-ca.crt
            claims: { username: email, usernamePrefix: "oidc:", groups: groups, groupsPrefix: "oidc:" }
      clusters:
        - name: prod-eu
          server: https://10.0.0.1:6443/
          ca: prod-eu-ca.crt
          tlsServerName: api.prod-eu.internal
          credentials: { tokenFile: secrets/prod-eu/token }
          connectTimeout: 2s
          idleTimeout: 1m
        - name: staging
          server: https://staging.example.com
          ca: prod-eu-ca.crt
          credentials: { clientCert: client.crt, clientKey: client.key }
        - name: from-kubeconfig
          credentials: { kubeconfig: kc.yaml, context: prod }
        - name: home
          credentials: { inCluster: true }
      limits: { maxInitialLineLength: 4096, maxHeaderSize: 32768, maxHeaderListSize: 16384,
                clientIdleTimeout: 30m, tlsHandshakeTimeout: 5s }
      audit: { dir: audit, failClosed: false }
      """;

  final Path dir;
  final TestPki pki;

  private ConfigFixture(Path dir, TestPki pki) {
    this.dir = dir;
    this.pki = pki;
  }

  static ConfigFixture writeTo(Path dir) throws IOException {
    TestPki pki = TestPki.create("fixture-ca");
    ConfigFixture fixture = new ConfigFixture(dir, pki);
    IssuedCertificate server = pki.issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"));
    server.writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"), KeyFormat.PKCS8);
    IssuedCertificate client = pki.issueClient("kgate", List.of());
    client.writePem(dir.resolve("client.crt"), dir.resolve("client.key"), KeyFormat.SEC1_EC);
    pki.writeCaPem(dir.resolve("client-ca.crt"));
    pki.writeCaPem(dir.resolve("idp-ca.crt"));
    pki.writeCaPem(dir.resolve("prod-eu-ca.crt"));
    Files.createDirectories(dir.resolve("secrets/prod-eu"));
    Files.writeString(dir.resolve("secrets/prod-eu/token"), "token-value\n");
    Files.writeString(dir.resolve("kc.yaml"), "apiVersion: v1\nkind: Config\n");
    Files.writeString(dir.resolve("garbage.pem"), "this is not PEM\n");
    return fixture;
  }
}
