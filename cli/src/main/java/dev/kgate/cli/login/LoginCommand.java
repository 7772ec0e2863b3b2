package dev.kgate.cli.login;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kgate login}: signs in at the IdP and fills the token cache that {@code kgate credential}
 * serves kubectl from. A valid cached session (or a working refresh token) is reused unless a
 * step-up is asked for ({@code --mfa}, {@code --acr}, {@code --max-age}), which always goes to
 * the IdP. Prompts go to stderr; no token is ever printed.
 */
@Command(name = "login", mixinStandardHelpOptions = true, description = "Log in for a gateway at its IdP (Authorization Code + PKCE, or --device) and cache the tokens.")
final class LoginCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;
  @Mixin private IssuerOptions issuer;

  @Parameters(index = "0", arity = "0..1", paramLabel = "GATEWAY",
      description = "The gateway, e.g. https://gw.example.com. Default: the one the current kubeconfig context uses.")
  private String gateway;

  @Option(names = "--scope", paramLabel = "SCOPES",
      description = "Scopes to ask for. Default: the gateway's, else " + AuthParameters.DEFAULT_SCOPE + ".")
  private String scope;

  @Option(names = "--device", description = "Use the device flow (RFC 8628): print a URL and a code to enter elsewhere.")
  private boolean device;

  @Option(names = "--mfa", description = "Ask for a fresh authentication (prompt=login) so the IdP's second factor applies.")
  private boolean mfa;

  @Option(names = "--acr", paramLabel = "ACR", description = "Ask for this authentication context class (acr_values), e.g. mfa.")
  private String acr;

  @Option(names = "--max-age", paramLabel = "DURATION",
      description = "Ask the IdP to re-authenticate when its session is older than this (max_age), e.g. 10m.")
  private String maxAge;

  @Option(names = "--no-browser", description = "Do not open a browser; print the URL.")
  private boolean noBrowser;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m",
      description = "How long to wait for the browser's callback. Default: ${DEFAULT-VALUE}.")
  private String timeout;

  private final LoginEnvironment environment;

  LoginCommand() {
    this(LoginEnvironment.system());
  }

  LoginCommand(LoginEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    LoginTarget target = issuer.resolve(environment, gateway);
    String scopes = scope != null ? scope : target.scope() != null ? target.scope() : AuthParameters.DEFAULT_SCOPE;
    AuthParameters parameters = new AuthParameters(scopes, mfa, acr, maxAge == null ? null : duration(maxAge, "--max-age"));
    Credentials credentials = new Credentials(target.cache(), target.client(environment), environment.clock());
    Credentials.Login login = interactive(parameters, err);
    boolean stepUp = mfa || acr != null || maxAge != null;
    TokenSet tokens = stepUp ? credentials.fresh(login) : credentials.current(login);
    err.println("Logged in to " + target.place() + " as " + Whoami.displayName(tokens)
        + "; the token is valid until " + tokens.expiresAt() + ".");
    return 0;
  }

  private Credentials.Login interactive(AuthParameters parameters, PrintWriter prompts) {
    if (device) {
      return client -> new DeviceFlow(client, prompts, environment.sleeper()).login(parameters);
    }
    BrowserOpener browser = noBrowser ? BrowserOpener.none() : environment.browser();
    Duration wait = duration(timeout, "--timeout");
    return client -> new AuthorizationCodeFlow(client, browser, prompts, wait).login(parameters);
  }

  private Duration duration(String text, String option) {
    try {
      return parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid value for " + option + ": " + e.getMessage());
    }
  }

  /** {@code 90s}, {@code 10m}, {@code 12h}, {@code 1d}, or plain seconds. */
  static Duration parseDuration(String text) {
    String value = text.trim();
    if (!value.matches("\\d+[smhd]?")) {
      throw new IllegalArgumentException("'" + text + "' is not a duration like 90s, 10m or 12h");
    }
    char unit = value.charAt(value.length() - 1);
    if (Character.isDigit(unit)) {
      return Duration.ofSeconds(Long.parseLong(value));
    }
    long amount = Long.parseLong(value.substring(0, value.length() - 1));
    switch (unit) {
      case 's': return Duration.ofSeconds(amount);
      case 'm': return Duration.ofMinutes(amount);
      case 'h': return Duration.ofHours(amount);
      default: return Duration.ofDays(amount);
    }
  }
}
