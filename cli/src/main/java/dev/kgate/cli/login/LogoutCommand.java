package dev.kgate.cli.login;

import java.io.PrintWriter;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kgate logout}: revokes the refresh token (else the access token) at the IdP when it
 * advertises a {@code revocation_endpoint} (RFC 7009), then deletes the cache entry. The local
 * entry goes even when the IdP cannot be reached, with a warning: the person asked to be logged
 * out here.
 */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Revoke the cached tokens at the IdP (RFC 7009) and delete them.")
final class LogoutCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;
  @Mixin private IssuerOptions issuer;

  private final LoginEnvironment environment;

  LogoutCommand() {
    this(LoginEnvironment.system());
  }

  LogoutCommand(LoginEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    LoginTarget target = issuer.resolve(environment, null);
    TokenCache cache = target.cache();
    try (TokenCache.Lock held = cache.lock()) {
      Optional<TokenSet> tokens = cache.read();
      if (tokens.isEmpty()) {
        cache.delete();
        err.println("Not logged in at " + target.place() + ".");
        return 0;
      }
      try {
        TokenSet t = tokens.get();
        boolean revoked = t.refreshToken() != null
            ? target.client(environment).get().revoke(t.refreshToken(), "refresh_token")
            : target.client(environment).get().revoke(t.accessToken(), "access_token");
        if (!revoked) {
          err.println("The IdP advertises no revocation endpoint; its session stays until it expires.");
        }
      } catch (IdpException e) {
        err.println("kgate: warning: could not revoke at the IdP: " + e.getMessage());
      }
      cache.delete();
      err.println("Logged out of " + target.place() + ".");
      return 0;
    }
  }
}
