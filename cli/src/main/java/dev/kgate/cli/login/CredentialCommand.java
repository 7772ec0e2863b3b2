package dev.kgate.cli.login;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kgate credential}: the client-go exec credential plugin. Prints an {@code ExecCredential}
 * on stdout from the cache, a refresh, or (only when kubectl hands over a terminal,
 * {@code spec.interactive} in {@code KUBERNETES_EXEC_INFO}) a browser login whose prompts go to
 * stderr. Otherwise it prints one line telling the person to run {@code kgate login} and exits 1,
 * which kubectl shows under its own error.
 *
 * <p>The cached path must stay cheap, as kubectl runs this once per command: it loads no HTTP
 * client, no Jackson, no Netty; the IdP is discovered only when a refresh or login needs it.
 */
@Command(name = "credential", mixinStandardHelpOptions = true, description = "Exec credential plugin for kubectl (client.authentication.k8s.io/v1).")
final class CredentialCommand implements Callable<Integer> {

  static final int EXIT_LOGIN_REQUIRED = 1;
  static final String EXEC_INFO = "KUBERNETES_EXEC_INFO";

  @Spec private CommandSpec spec;
  @Mixin private IssuerOptions issuer;

  private final LoginEnvironment environment;

  CredentialCommand() {
    this(LoginEnvironment.system());
  }

  CredentialCommand(LoginEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoginTarget target = issuer.resolve(environment, null);
    Credentials credentials = new Credentials(target.cache(), target.client(environment), environment.clock());
    boolean interactive = ExecCredential.interactive(environment.environment().apply(EXEC_INFO))
        && environment.terminal().getAsBoolean();
    Credentials.Login login = interactive
        ? client -> new AuthorizationCodeFlow(client, environment.browser(), err, Duration.ofMinutes(5))
            .login(AuthParameters.withScope(target.scope()))
        : null;
    TokenSet tokens;
    try {
      tokens = credentials.current(login);
    } catch (LoginRequiredException e) {
      err.println("kgate: " + e.getMessage() + " at " + target.place() + "; run: " + target.loginCommand());
      err.flush();
      return EXIT_LOGIN_REQUIRED;
    }
    out.println(ExecCredential.json(tokens, environment.clock().instant()));
    out.flush();
    return 0;
  }
}
