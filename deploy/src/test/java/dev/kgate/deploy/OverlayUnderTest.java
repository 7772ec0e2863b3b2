package dev.kgate.deploy;

import java.util.Set;

/**
 * What the contract interfaces need from a test class: the rendered overlay and what that
 * overlay promises. Each contract interface holds the default test methods for one concern, so a
 * test class for an overlay runs them all by implementing them.
 */
interface OverlayUnderTest {

  String NAMESPACE = "kgate";
  String GATEWAY = RenderedOverlay.GATEWAY;
  int GATEWAY_PORT = 8443;
  int ADMIN_PORT = 9443;
  long NON_ROOT_UID = 65532L;

  /** The impersonation grants of PROTOCOLS.md §1, one per Impersonate-* header kind. */
  Set<String> IMPERSONATION_GRANTS = Set.of(
      "/users:impersonate",
      "/groups:impersonate",
      "/serviceaccounts:impersonate",
      "authentication.k8s.io/uids:impersonate");

  RenderedOverlay rendered();

  int expectedReplicas();

  boolean expectedAutoscaler();
}
