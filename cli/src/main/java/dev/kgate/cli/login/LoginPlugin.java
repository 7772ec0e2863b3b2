package dev.kgate.cli.login;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a kubeconfig runs {@code kgate credential}: the executable with its leading arguments, and
 * the options that let the plugin find its cache entry without the network. Shared by
 * {@code kgate kubeconfig} and {@code kgate demo}.
 */
public final class LoginPlugin {

  /** The environment variable the {@code ./kgate} launcher sets to its own absolute path. */
  public static final String LAUNCHER_VARIABLE = "KGATE_COMMAND";

  /** What kubectl runs: {@code executable leadingArguments… options…}. */
  public record Command(String executable, List<String> leadingArguments) {
    public Command {
      Objects.requireNonNull(executable, "executable");
      leadingArguments = List.copyOf(leadingArguments);
    }
  }

  private LoginPlugin() {}

  /**
   * The plugin of this very installation: the launcher that started this process ({@code kgate
   * credential}), or else this JVM running the lean entry point on this class path, which works
   * however kgate was started (a test, {@code java -jar}).
   */
  public static Command ofThisInstallation(Function<String, String> environment) {
    String launcher = environment.apply(LAUNCHER_VARIABLE);
    if (launcher != null && !launcher.isBlank()) {
      return new Command(launcher, List.of("credential"));
    }
    String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      entries.add(Path.of(entry).toAbsolutePath().toString());
    }
    return new Command(javaBinary, List.of("-cp", String.join(File.pathSeparator, entries), CredentialMain.class.getName()));
  }

  /**
   * The plugin's options. Paths are made absolute: kubectl runs the plugin from wherever the
   * person happens to be.
   *
   * @param gatewayCa, idpCa, cacheDir may be null
   */
  public static List<String> options(URI gateway, Path gatewayCa, String issuer, String clientId, Path idpCa, Path cacheDir) {
    List<String> args = new ArrayList<>(List.of(
        "--gateway", GatewayAddress.text(gateway),
        "--issuer", OidcProvider.stripSlash(issuer),
        "--client-id", clientId));
    addPath(args, "--gateway-ca", gatewayCa);
    addPath(args, "--ca", idpCa);
    addPath(args, "--cache-dir", cacheDir);
    return args;
  }

  static List<String> options(LoginTarget target) {
    return options(target.gateway(), target.gatewayCa(), target.issuer(), target.clientId(), target.idpCa(), target.cacheDir());
  }

  /** Whether {@code arguments} are a plugin invocation, and where its options start; -1 when not. */
  static int optionsStart(List<String> arguments) {
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      if (argument.equals("credential") || argument.equals(CredentialMain.class.getName())) {
        return i + 1;
      }
    }
    return -1;
  }

  private static void addPath(List<String> args, String option, Path value) {
    if (value != null) {
      args.add(option);
      args.add(value.toAbsolutePath().normalize().toString());
    }
  }
}
