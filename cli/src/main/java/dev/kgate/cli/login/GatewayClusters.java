package dev.kgate.cli.login;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The clusters a person may use through one gateway, and the roles that give them, as the gateway
 * answers {@code GET /kgate/v1/clusters} for the bearer of a token. The gateway lists only the
 * clusters the policy lets this person reach, so nothing here reveals the others.
 */
record GatewayClusters(String user, List<Cluster> clusters) {

  static final String PATH = "/kgate/v1/clusters";

  /** One cluster: its name, its path on the gateway ({@code /clusters/<name>}), the roles that apply. */
  record Cluster(String name, String path, List<String> roles) {
    Cluster {
      roles = List.copyOf(roles);
    }
  }

  GatewayClusters {
    clusters = List.copyOf(clusters);
  }

  static GatewayClusters fetch(IdpHttp http, URI gateway, String accessToken) {
    URI uri = URI.create(GatewayAddress.text(gateway) + PATH);
    IdpHttp.Answer answer = http.getJson(uri, accessToken);
    if (answer.status() != 200) {
      // The gateway answers with a Kubernetes Status whose message says what to do.
      String message = Json.string(answer.body(), "message");
      throw new IdpException("gateway", "the gateway refused to list your clusters: "
          + (message != null ? message : "HTTP " + answer.status()));
    }
    List<Cluster> clusters = new ArrayList<>();
    if (answer.body().get("items") instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> map && map.get("name") instanceof String name) {
          List<String> roles = new ArrayList<>();
          if (map.get("roles") instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(roles::add);
          }
          String path = map.get("path") instanceof String p ? p : "/clusters/" + name;
          clusters.add(new Cluster(name, path, roles));
        }
      }
    }
    return new GatewayClusters(Json.string(answer.body(), "user"), clusters);
  }

  /** One line for {@code kgate whoami}: {@code prod-eu (sre), staging (sre, dev)}. */
  String summary() {
    if (clusters.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    for (Cluster cluster : clusters) {
      parts.add(cluster.roles().isEmpty() ? cluster.name() : cluster.name() + " (" + String.join(", ", cluster.roles()) + ")");
    }
    return String.join(", ", parts);
  }
}
