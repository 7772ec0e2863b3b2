package dev.kgate.cli.demo;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The {@code gateway.yaml} the demo writes and then loads with the real config loader, so the demo
 * runs through exactly the path {@code kgate serve --config} takes. File names are relative: the
 * loader resolves them against the config file's directory, which keeps the file readable.
 *
 * @param idpCa the IdP's CA file name, or null when the IdP is served over plain http on loopback
 */
record DemoGatewayYaml(
    int port,
    String certFile,
    String keyFile,
    URI issuer,
    String idpCa,
    List<ClusterEntry> clusters,
    String auditDir,
    String policyFile) {

  /** The audience the demo's tokens carry, as a Kubernetes OIDC setup would. */
  static final String AUDIENCE = Demo.AUDIENCE;

  /** One simulated cluster, as the gateway reaches it. */
  record ClusterEntry(String name, URI server, String caFile, String tokenFile) {
    ClusterEntry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(caFile, "caFile");
      Objects.requireNonNull(tokenFile, "tokenFile");
    }
  }

  DemoGatewayYaml {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(issuer, "issuer");
    clusters = List.copyOf(clusters);
    Objects.requireNonNull(auditDir, "auditDir");
    Objects.requireNonNull(policyFile, "policyFile");
  }

  String toYaml(YAMLMapper yaml) {
    Map<String, Object> tls = new LinkedHashMap<>();
    tls.put("cert", certFile);
    tls.put("key", keyFile);
    Map<String, Object> listen = new LinkedHashMap<>();
    listen.put("address", Demo.ADDRESS);
    listen.put("port", port);
    listen.put("tls", tls);

    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("username", "email");
    claims.put("usernamePrefix", "");
    claims.put("groups", "groups");
    claims.put("groupsPrefix", "");
    Map<String, Object> idp = new LinkedHashMap<>();
    idp.put("url", issuer.toString());
    idp.put("audiences", List.of(AUDIENCE));
    idp.put("clientId", Demo.CLIENT_ID);
    if (idpCa != null) {
      idp.put("ca", idpCa);
    }
    idp.put("claims", claims);

    List<Object> clusterList = new ArrayList<>();
    for (ClusterEntry cluster : clusters) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", cluster.name());
      entry.put("server", cluster.server().toString());
      entry.put("ca", cluster.caFile());
      entry.put("credentials", Map.of("tokenFile", cluster.tokenFile()));
      clusterList.add(entry);
    }

    Map<String, Object> audit = new LinkedHashMap<>();
    audit.put("dir", auditDir);
    audit.put("failClosed", true);

    Map<String, Object> document = new LinkedHashMap<>();
    document.put("listen", listen);
    document.put("oidc", Map.of("issuers", List.of(idp)));
    document.put("clusters", clusterList);
    document.put("audit", audit);
    document.put("policy", policyFile);
    return "# Written by `kgate demo`; loaded by the same code as `kgate serve --config`.\n"
        + yaml.writeValueAsString(document);
  }
}
