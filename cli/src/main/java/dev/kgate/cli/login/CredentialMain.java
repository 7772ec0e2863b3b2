package dev.kgate.cli.login;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/**
 * A lean entry point for the exec plugin: {@code java -cp kgate.jar dev.kgate.cli.login.CredentialMain
 * --issuer …} takes the same options as {@code kgate credential}. kubectl runs the plugin once per
 * command, so the common case (a fresh token in the cache) is answered before anything else is
 * loaded: the options are read by hand, not by picocli (170 classes, and java.sql for its
 * converters), and neither the logging bridge nor the other subcommands are set up. Every other
 * case (no fresh token, an option it does not know, a mistake) goes to {@link CredentialCommand}.
 */
public final class CredentialMain {

  private static final Set<String> OPTIONS = Set.of("--gateway", "--gateway-ca", "--issuer", "--client-id", "--ca", "--cache-dir");

  private CredentialMain() {}

  public static void main(String[] args) {
    Optional<String> cached = cachedCredential(args, Clock.systemUTC().instant());
    if (cached.isPresent()) {
      System.out.println(cached.get());
      System.out.flush();
      System.exit(0);
    }
    Charset console = Charset.defaultCharset();
    CommandLine commandLine = new CommandLine(new CredentialCommand());
    commandLine.setOut(new PrintWriter(System.out, true, console));
    commandLine.setErr(new PrintWriter(System.err, true, console));
    commandLine.setExecutionExceptionHandler((failure, cl, parsed) -> {
      cl.getErr().println("kgate: " + (failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName()));
      return 1;
    });
    System.exit(commandLine.execute(args));
  }

  /** The ExecCredential for a fresh cached token, or empty when the full command must decide. */
  static Optional<String> cachedCredential(String[] args, Instant now) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      if (!OPTIONS.contains(name) || options.containsKey(name)) {
        return Optional.empty();
      }
      if (eq > 0) {
        options.put(name, arg.substring(eq + 1));
      } else if (i + 1 < args.length) {
        options.put(name, args[++i]);
      } else {
        return Optional.empty();
      }
    }
    String issuer = options.get("--issuer");
    if (issuer == null) {
      return Optional.empty();
    }
    String cacheDir = options.get("--cache-dir");
    Path directory = cacheDir != null ? Path.of(cacheDir) : TokenCache.defaultDirectory();
    String gateway = options.get("--gateway");
    String clientId = options.get("--client-id");
    TokenCache cache;
    if (gateway == null) {
      cache = new TokenCache(directory, OidcProvider.stripSlash(issuer),
          clientId != null ? clientId : IssuerOptions.DEFAULT_CLIENT_ID);
    } else if (clientId != null) {
      // The address as kgate kubeconfig writes it; any other spelling misses here and is
      // normalised by the full command instead.
      cache = new TokenCache(directory, OidcProvider.stripSlash(gateway), OidcProvider.stripSlash(issuer), clientId);
    } else {
      return Optional.empty(); // the client id comes from the gateway: the full command asks it
    }
    // No lambdas or string concatenation on this path: their first use bootstraps invokedynamic,
    // which costs tens of milliseconds of a start that should take little more than the JVM's.
    Optional<TokenSet> tokens = cache.read();
    if (tokens.isEmpty() || !tokens.get().freshAt(now, Credentials.MARGIN_SECONDS)) {
      return Optional.empty();
    }
    return Optional.of(ExecCredential.json(tokens.get(), now));
  }
}
