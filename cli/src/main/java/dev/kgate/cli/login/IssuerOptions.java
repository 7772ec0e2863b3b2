package dev.kgate.cli.login;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options naming one login: issuer and client id, the CA that signs the IdP's certificate, where the cache lives. */
final class IssuerOptions {

  static final String DEFAULT_CLIENT_ID = "kgate";

  @Option(names = "--issuer", required = true, paramLabel = "URL",
      description = "OIDC issuer URL; discovery is <issuer>/.well-known/openid-configuration.")
  String issuer;

  @Option(names = "--client-id", paramLabel = "ID", defaultValue = DEFAULT_CLIENT_ID,
      description = "OAuth client id registered at the IdP (public client). Default: ${DEFAULT-VALUE}.")
  String clientId;

  @Option(names = "--ca", paramLabel = "FILE",
      description = "PEM file of the CA(s) to trust for the IdP instead of the system's.")
  Path ca;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Token cache directory. Default: $HOME/.kube/cache/kgate.")
  Path cacheDir;

  String normalisedIssuer() {
    return OidcProvider.stripSlash(issuer);
  }

  TokenCache cache() {
    return new TokenCache(cacheDir != null ? cacheDir : TokenCache.defaultDirectory(), normalisedIssuer(), clientId);
  }

  /** The CLI's view of the IdP, discovered on first use so that cached paths stay off the network. */
  java.util.function.Supplier<OidcClient> client(LoginEnvironment environment) {
    return new java.util.function.Supplier<>() {
      private OidcClient client;

      @Override
      public synchronized OidcClient get() {
        if (client == null) {
          client = OidcClient.discover(new IdpHttp(ca), normalisedIssuer(), clientId, environment.clock());
        }
        return client;
      }
    };
  }
}
