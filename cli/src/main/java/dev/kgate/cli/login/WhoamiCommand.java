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
 * {@code kgate whoami}: who the cached login is, from its claims, and, for a gateway's login, what
 * that gateway grants it (asked of the gateway, which alone knows its policy).
 */
@Command(name = "whoami", mixinStandardHelpOptions = true, description = "Show the identity of the cached login, and the clusters and roles the gateway grants it.")
final class WhoamiCommand implements Callable<Integer> {

  static final int EXIT_NOT_LOGGED_IN = 1;

  @Spec private CommandSpec spec;
  @Mixin private IssuerOptions issuer;

  private final LoginEnvironment environment;

  WhoamiCommand() {
    this(LoginEnvironment.system());
  }

  WhoamiCommand(LoginEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  @Override
  public Integer call() {
    LoginTarget target = issuer.resolve(environment, null);
    Optional<TokenSet> tokens = target.cache().read();
    if (tokens.isEmpty()) {
      spec.commandLine().getErr().println("kgate: not logged in at " + target.place() + "; run: " + target.loginCommand());
      return EXIT_NOT_LOGGED_IN;
    }
    PrintWriter out = spec.commandLine().getOut();
    Whoami.describe(tokens.get(), environment.clock().instant()).forEach(out::println);
    if (target.gateway() != null) {
      out.println(Whoami.clustersLine(target, tokens.get(), environment.clock().instant()));
    }
    out.flush();
    return 0;
  }
}
