package dev.kgate.cli.login;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options naming one login: the gateway (whose {@code /.well-known/kgate} names the issuer and
 * client id), or the issuer and client id themselves; the CAs to trust; where the cache lives.
 * With none of them, the login the current kubeconfig context's {@code kgate credential} uses.
 */
final class IssuerOptions {

  static final String DEFAULT_CLIENT_ID = "kgate";

  @Option(names = "--gateway", paramLabel = "URL",
      description = "The gateway, e.g. https://gw.example.com; its /.well-known/kgate names the issuer and client id.")
  String gateway;

  @Option(names = "--gateway-ca", paramLabel = "FILE",
      description = "PEM file of the CA(s) to trust for the gateway instead of the system's.")
  Path gatewayCa;

  @Option(names = "--issuer", paramLabel = "URL",
      description = "OIDC issuer URL; discovery is <issuer>/.well-known/openid-configuration."
          + " Needed only when the gateway accepts several, or without a gateway.")
  String issuer;

  @Option(names = "--client-id", paramLabel = "ID",
      description = "OAuth client id registered at the IdP (public client). Default: the gateway's, else "
          + DEFAULT_CLIENT_ID + ".")
  String clientId;

  @Option(names = "--ca", paramLabel = "FILE",
      description = "PEM file of the CA(s) to trust for the IdP instead of the system's.")
  Path ca;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Token cache directory. Default: $HOME/.kube/cache/kgate.")
  Path cacheDir;

  /**
   * Where to log in. Without the network when the issuer is given and either the client id or no
   * gateway is (the exec plugin's case: the kubeconfig passes everything); otherwise the gateway's
   * {@code /.well-known/kgate} fills in the rest.
   *
   * @param positionalGateway the gateway given as {@code kgate login URL}, or null
   */
  LoginTarget resolve(LoginEnvironment environment, String positionalGateway) {
    if (positionalGateway != null && gateway != null && !positionalGateway.equals(gateway)) {
      throw new IllegalArgumentException("two gateways given: " + positionalGateway + " and --gateway " + gateway);
    }
    String gatewayText = positionalGateway != null ? positionalGateway : gateway;
    if (gatewayText == null && issuer == null) {
      return CurrentKubeconfig.credentialOptions(environment)
          .filter(options -> options.gateway != null || options.issuer != null)
          .map(options -> options.withLocal(this).resolve(environment, null))
          .orElseThrow(() -> new IllegalArgumentException("which gateway? Run: kgate login https://<gateway address>"
              + " (the current kubeconfig context does not use kgate)"));
    }
    URI gatewayUri = gatewayText == null ? null : GatewayAddress.parse(gatewayText);
    if (issuer != null && (clientId != null || gatewayUri == null)) {
      return new LoginTarget(gatewayUri, issuer, clientId != null ? clientId : DEFAULT_CLIENT_ID, null, ca, gatewayCa, cacheDir);
    }
    GatewayInfo info = GatewayInfo.fetch(new IdpHttp(gatewayCa, "the gateway"), gatewayUri);
    GatewayInfo.Issuer chosen = info.issuer(issuer);
    String client = clientId != null ? clientId : chosen.clientId() != null ? chosen.clientId() : DEFAULT_CLIENT_ID;
    return new LoginTarget(gatewayUri, chosen.issuer(), client, info.scope(), ca, gatewayCa, cacheDir);
  }

  /** These options (from a kubeconfig), with the cache directory the person gave on the command line. */
  private IssuerOptions withLocal(IssuerOptions local) {
    if (local.cacheDir != null) {
      cacheDir = local.cacheDir;
    }
    return this;
  }
}
