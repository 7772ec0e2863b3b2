package dev.kgate.cli.login;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges one gateway's entries into an existing kubeconfig without clobbering anything else: an
 * entry of the same name is replaced only when it is this gateway's own (a cluster whose server is
 * on this gateway, a context using this gateway's user, the user itself); any other clash stops
 * the merge and names the entries, so nobody loses a context they wrote by hand. Everything else
 * in the file stays as it was; {@code current-context} is set only when there is none.
 */
final class KubeconfigMerge {

  /** The merge would replace entries that belong to someone else. */
  static final class Conflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Conflict(String message) {
      super(message, null, false, false);
    }
  }

  private final String gateway;
  private final String userName;

  KubeconfigMerge(String gateway, String userName) {
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.userName = Objects.requireNonNull(userName, "userName");
  }

  /** Merges {@code entries} into {@code existing} in place; throws {@link Conflict} before changing anything. */
  ObjectNode merge(ObjectNode existing, KubeconfigEntries entries) {
    List<String> clashes = new ArrayList<>();
    for (ObjectNode cluster : entries.clusters()) {
      JsonNode old = named(existing.path("clusters"), cluster.path("name").asString());
      if (old != null && !onThisGateway(old.path("cluster").path("server").asString(""))) {
        clashes.add("cluster " + cluster.path("name").asString());
      }
    }
    for (ObjectNode context : entries.contexts()) {
      JsonNode old = named(existing.path("contexts"), context.path("name").asString());
      if (old != null && !userName.equals(old.path("context").path("user").asString(""))) {
        clashes.add("context " + context.path("name").asString());
      }
    }
    JsonNode oldUser = named(existing.path("users"), userName);
    if (oldUser != null && !isThisGatewaysPlugin(oldUser)) {
      clashes.add("user " + userName);
    }
    if (!clashes.isEmpty()) {
      throw new Conflict("the kubeconfig already has " + String.join(", ", clashes)
          + " for something other than " + gateway + "; nothing was changed."
          + " Choose other names with --context-prefix, or rename those entries");
    }
    existing.putIfAbsent("apiVersion", existing.stringNode("v1"));
    existing.putIfAbsent("kind", existing.stringNode("Config"));
    upsert(existing, "clusters", entries.clusters());
    upsert(existing, "contexts", entries.contexts());
    upsert(existing, "users", List.of(entries.user()));
    if (existing.path("current-context").asString("").isEmpty() && !entries.contexts().isEmpty()) {
      existing.put("current-context", entries.contexts().get(0).path("name").asString());
    }
    return existing;
  }

  private boolean onThisGateway(String server) {
    return server.equals(gateway) || server.startsWith(gateway + "/");
  }

  private boolean isThisGatewaysPlugin(JsonNode user) {
    JsonNode args = user.path("user").path("exec").path("args");
    List<String> values = new ArrayList<>();
    args.forEach(arg -> values.add(arg.asString("")));
    int at = values.indexOf("--gateway");
    return values.contains("credential") && at >= 0 && at + 1 < values.size() && gateway.equals(values.get(at + 1));
  }

  private static void upsert(ObjectNode document, String list, List<ObjectNode> entries) {
    JsonNode current = document.get(list);
    ArrayNode array = current instanceof ArrayNode a ? a : document.putArray(list);
    for (ObjectNode entry : entries) {
      String name = entry.path("name").asString();
      int index = indexOf(array, name);
      if (index >= 0) {
        array.set(index, entry);
      } else {
        array.add(entry);
      }
    }
  }

  private static JsonNode named(JsonNode list, String name) {
    int index = indexOf(list, name);
    return index >= 0 ? list.get(index) : null;
  }

  private static int indexOf(JsonNode list, String name) {
    for (int i = 0; i < list.size(); i++) {
      if (name.equals(list.get(i).path("name").asString(null))) {
        return i;
      }
    }
    return -1;
  }
}
