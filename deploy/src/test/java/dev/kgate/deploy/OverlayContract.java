package dev.kgate.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What every overlay of {@code deploy/kustomize} must guarantee, checked on the objects that
 * {@code kubectl kustomize} really renders (once per test class). The checks live in one
 * interface per concern; a subclass names its overlay, states its replica count and whether it
 * autoscales, and adds what is particular to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OverlayContract
    implements ObjectContract, PodHardeningContract, ConfigurationWiringContract, NetworkContract, RbacContract,
        AvailabilityContract {

  private RenderedOverlay rendered;

  /** The overlay's directory under {@code deploy/kustomize/overlays}. */
  abstract String overlay();

  @BeforeAll
  final void render() {
    rendered = RenderedOverlay.render(overlay());
  }

  @Override
  public final RenderedOverlay rendered() {
    return rendered;
  }
}
