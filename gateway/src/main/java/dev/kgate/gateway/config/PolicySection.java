package dev.kgate.gateway.config;

import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.PolicyError;
import dev.kgate.auth.policy.PolicyException;
import dev.kgate.auth.policy.PolicyLoader;
import java.nio.file.Path;

/**
 * {@code policy: FILE}: the access policy, read and checked with the rest of the configuration so
 * that a broken policy stops the gateway at start with every problem named, in the policy file's
 * own key paths. Absent means no gateway-side policy (see {@link GatewayConfig}).
 */
final class PolicySection {

  private PolicySection() {}

  static GatewayConfig.PolicySource parse(ConfigNode node) {
    if (node.isAbsent()) {
      return null;
    }
    Path file = node.file();
    if (file == null) {
      return null;
    }
    try {
      return new GatewayConfig.PolicySource(file, PolicyLoader.load(file));
    } catch (PolicyException e) {
      for (PolicyError error : e.errors()) {
        node.error("in " + file.getFileName() + ": " + error);
      }
      return null;
    }
  }
}
