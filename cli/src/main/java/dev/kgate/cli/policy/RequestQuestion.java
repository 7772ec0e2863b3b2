package dev.kgate.cli.policy;

import dev.kgate.auth.attributes.Refused;
import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.auth.attributes.Resolution;
import dev.kgate.auth.attributes.ResourceSpec;
import dev.kgate.auth.attributes.Verbs;
import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.PolicyError;
import dev.kgate.auth.policy.PolicyException;
import dev.kgate.auth.policy.PolicyLoader;
import dev.kgate.gateway.config.ConfigError;
import dev.kgate.gateway.config.ConfigException;
import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code can-i} and {@code who-can} both ask about: a policy file, a cluster, and a request
 * typed as for {@code kubectl auth can-i}. The request becomes attributes through
 * {@link ResourceSpec}, so it is decided as the gateway decides the real request ({@code pods/exec}
 * is {@code create} whatever verb is typed). Verbs the gateway never produces are refused rather
 * than answered "no", since a typo would otherwise read as a denial.
 */
final class RequestQuestion {

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** Where the policy comes from: the file itself, or the gateway configuration that names it. */
  static final class Source {
    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The policy file (YAML).")
    Path policyFile;

    @Option(names = "--config", required = true, paramLabel = "FILE",
        description = "The gateway configuration: its policy, and its clusters (a cluster it does not configure"
            + " is refused like the gateway refuses it).")
    Path configFile;
  }

  @Option(names = "--cluster", required = true, paramLabel = "CLUSTER",
      description = "The cluster the request is for, as named in the gateway configuration.")
  String cluster;

  @Parameters(index = "0", paramLabel = "VERB",
      description = "get, list, watch, create, update, patch, delete or deletecollection;"
          + " for a URL path, the HTTP method.")
  String verb;

  @Parameters(index = "1", paramLabel = "RESOURCE",
      description = "pods, pods/exec, deployments.apps, deployments.apps/scale, or a URL path such as /metrics.")
  String resource;

  @Parameters(index = "2", arity = "0..1", paramLabel = "NAME",
      description = "The object's name. Left out, the request names no object, as list and create do.")
  String name;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "The namespace. Left out, the request is cluster-wide: a cluster-scoped resource,"
          + " or all namespaces.")
  String namespace;

  private GatewayConfig config;

  /** The policy, or the first of its errors as one line. */
  Policy loadPolicy() throws InvalidQuestion {
    if (source.configFile != null) {
      GatewayConfig config = loadConfig();
      if (config.policy() == null) {
        throw new InvalidQuestion(source.configFile + " names no policy file: the gateway authorizes nothing itself,"
            + " and each cluster's RBAC decides");
      }
      return config.policy().policy();
    }
    Path policyFile = source.policyFile;
    try {
      return PolicyLoader.load(policyFile);
    } catch (PolicyException invalid) {
      List<PolicyError> errors = invalid.errors();
      String more = errors.size() == 1
          ? ""
          : " (and " + (errors.size() - 1) + " more; kgate policy check " + policyFile + " lists them all)";
      throw new InvalidQuestion("invalid policy " + policyFile + ": " + errors.get(0) + more);
    }
  }

  /**
   * The clusters the gateway configures, or empty when the question names only a policy (which
   * then answers for any cluster its globs cover).
   */
  Optional<Set<String>> configuredClusters() throws InvalidQuestion {
    if (source.configFile == null) {
      return Optional.empty();
    }
    Set<String> names = new LinkedHashSet<>();
    loadConfig().clusters().forEach(cluster -> names.add(cluster.name()));
    return Optional.of(names);
  }

  private GatewayConfig loadConfig() throws InvalidQuestion {
    if (config == null) {
      try {
        config = ConfigLoader.load(source.configFile);
      } catch (ConfigException invalid) {
        List<ConfigError> errors = invalid.errors();
        String more = errors.size() == 1
            ? ""
            : " (and " + (errors.size() - 1) + " more; kgate serve --config " + source.configFile + " lists them all)";
        throw new InvalidQuestion("invalid configuration " + source.configFile + ": " + errors.get(0) + more);
      }
    }
    return config;
  }

  /** The cluster, refused when blank (an empty name would match only a "*" glob). */
  String cluster() throws InvalidQuestion {
    if (cluster.isBlank()) {
      throw new InvalidQuestion("--cluster must name a cluster");
    }
    return cluster;
  }

  /** The request's attributes, as the gateway would resolve the same request. */
  RequestAttributes attributes() throws InvalidQuestion {
    checkVerb();
    Resolution resolution = ResourceSpec.resolve(verb, resource, namespace, name);
    if (resolution instanceof Refused refused) {
      throw new InvalidQuestion(refused.reason());
    }
    return (RequestAttributes) resolution;
  }

  private void checkVerb() throws InvalidQuestion {
    if (resource.startsWith("/")) {
      if (!Verbs.NON_RESOURCE_VERBS.contains(verb.toLowerCase(Locale.ROOT))) {
        throw new InvalidQuestion("'" + verb + "' is not a method the gateway accepts on a URL path;"
            + " expected one of " + String.join(", ", Verbs.NON_RESOURCE_VERBS));
      }
    } else if (!Verbs.RESOURCE_VERBS.contains(verb)) {
      throw new InvalidQuestion("'" + verb + "' is not a verb the gateway decides;"
          + " expected one of " + String.join(", ", Verbs.RESOURCE_VERBS));
    }
  }

  /** "create pods/exec web in namespace payments on cluster prod-eu", "get /metrics on cluster prod-eu". */
  static String describe(RequestAttributes attributes, String cluster) {
    String onCluster = " on cluster " + cluster;
    if (attributes instanceof RequestAttributes.NonResource request) {
      return request.verb() + " " + request.path() + onCluster;
    }
    RequestAttributes.Resource request = (RequestAttributes.Resource) attributes;
    String group = request.apiGroup().isEmpty() ? "" : "." + request.apiGroup();
    String what = request.subresource().isEmpty()
        ? request.resource() + group
        : request.resource() + group + "/" + request.subresource();
    String named = request.name().isEmpty() ? "" : " " + request.name();
    String scope = request.namespace().isEmpty() ? " cluster-wide" : " in namespace " + request.namespace();
    return request.verb() + " " + what + named + scope + onCluster;
  }
}
