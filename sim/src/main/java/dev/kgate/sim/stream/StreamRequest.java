package dev.kgate.sim.stream;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The query of an exec or attach request ({@code PodExecOptions}/{@code PodAttachOptions}):
 * {@code command} once per argv element, {@code container}, and the {@code stdin}, {@code stdout},
 * {@code stderr}, {@code tty} flags. As the kubelet does, stderr is ignored with a TTY, which
 * merges it into stdout.
 */
record StreamRequest(String namespace, String pod, String subresource, List<String> command,
    String container, boolean stdin, boolean stdout, boolean stderr, boolean tty) {

  private static final Set<String> TRUE_VALUES = Set.of("1", "t", "T", "true", "TRUE", "True");

  static StreamRequest parse(HttpRequest request, String namespace, String pod, String subresource) {
    Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
    boolean tty = flag(query, "tty");
    return new StreamRequest(namespace, pod, subresource,
        List.copyOf(query.getOrDefault("command", List.of())),
        query.getOrDefault("container", List.of("")).get(0),
        flag(query, "stdin"), flag(query, "stdout"), flag(query, "stderr") && !tty, tty);
  }

  /** What the API server and kubelet refuse before upgrading, as the message of a 400. */
  Optional<String> problem() {
    if (subresource.equals("exec") && command.isEmpty()) {
      return Optional.of("you must specify at least one command for the container");
    }
    if (!stdin && !stdout && !stderr) {
      return Optional.of("you must specify at least 1 of stdin, stdout, stderr");
    }
    return Optional.empty();
  }

  private static boolean flag(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values != null && !values.isEmpty() && TRUE_VALUES.contains(values.get(0));
  }
}
