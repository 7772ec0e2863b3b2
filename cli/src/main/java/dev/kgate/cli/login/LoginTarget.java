package dev.kgate.cli.login;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where one login goes and is kept: the gateway it is for (null for a bare {@code --issuer}
 * login), the issuer and public client id, the scopes the gateway asks for (null: the CLI's
 * default), the CA files for the IdP and the gateway (null: the system's CAs), and the cache
 * directory (null: {@code ~/.kube/cache/kgate}).
 */
record LoginTarget(URI gateway, String issuer, String clientId, String scope, Path idpCa, Path gatewayCa, Path cacheDir) {

  LoginTarget {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(clientId, "clientId");
    issuer = OidcProvider.stripSlash(issuer);
  }

  /** The cache entry: one per gateway, issuer and client, so two gateways never share a login. */
  TokenCache cache() {
    Path directory = cacheDir != null ? cacheDir : TokenCache.defaultDirectory();
    return gateway == null
        ? new TokenCache(directory, issuer, clientId)
        : new TokenCache(directory, GatewayAddress.text(gateway), issuer, clientId);
  }

  /** The CLI's view of the IdP, discovered on first use so that cached paths stay off the network. */
  Supplier<OidcClient> client(LoginEnvironment environment) {
    return new Supplier<>() {
      private OidcClient client;

      @Override
      public synchronized OidcClient get() {
        if (client == null) {
          client = OidcClient.discover(new IdpHttp(idpCa), issuer, clientId, environment.clock());
        }
        return client;
      }
    };
  }

  /** HTTP to the gateway's own endpoints. */
  IdpHttp gatewayHttp() {
    return new IdpHttp(gatewayCa, "the gateway");
  }

  /** Where the person logs in, for messages: the gateway when there is one, else the issuer. */
  String place() {
    return gateway != null ? GatewayAddress.text(gateway) : issuer;
  }

  /** The {@code kgate login} command that fills this target's cache entry. */
  String loginCommand() {
    StringBuilder command = new StringBuilder("kgate login");
    if (gateway != null) {
      // The gateway's /.well-known/kgate names the same issuer and client id again.
      command.append(' ').append(GatewayAddress.text(gateway));
      if (gatewayCa != null) {
        command.append(" --gateway-ca ").append(gatewayCa);
      }
    } else {
      command.append(" --issuer ").append(issuer);
      if (!IssuerOptions.DEFAULT_CLIENT_ID.equals(clientId)) {
        command.append(" --client-id ").append(clientId);
      }
    }
    if (idpCa != null) {
      command.append(" --ca ").append(idpCa);
    }
    if (cacheDir != null) {
      command.append(" --cache-dir ").append(cacheDir);
    }
    return command.toString();
  }
}
