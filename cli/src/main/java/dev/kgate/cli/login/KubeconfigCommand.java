package dev.kgate.cli.login;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * {@code kgate kubeconfig --gateway https://gw [--merge]}: asks the gateway which clusters this
 * person may use (logging in first when there is no usable token) and writes a kubeconfig with a
 * context per cluster, all using the {@code kgate credential} plugin. Without {@code --merge} the
 * kubeconfig goes to stdout or {@code --out}; with it, into the person's kubeconfig, after a
 * backup, replacing only this gateway's own entries.
 */
@Command(name = "kubeconfig", mixinStandardHelpOptions = true,
    description = "Write a kubeconfig with a context per cluster the gateway lets you use.")
final class KubeconfigCommand implements Callable<Integer> {

  static final String COMMAND_VARIABLE = LoginPlugin.LAUNCHER_VARIABLE;
  private static final DateTimeFormatter BACKUP_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  @Spec private CommandSpec spec;
  @Mixin private IssuerOptions issuer;

  @Option(names = "--merge", description = "Merge into the kubeconfig ($KUBECONFIG's first file, else ~/.kube/config), keeping a backup.")
  private boolean merge;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The kubeconfig to merge into.")
  private Path kubeconfig;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the kubeconfig to this file (mode 0600) instead of stdout.")
  private Path out;

  @Option(names = "--context-prefix", paramLabel = "PREFIX", defaultValue = "",
      description = "Put this before each cluster name to name the contexts, e.g. gw1-.")
  private String prefix;

  @Option(names = "--command", paramLabel = "PATH",
      description = "The plugin command kubectl runs. Default: $" + COMMAND_VARIABLE + " (set by the kgate launcher), else kgate.")
  private String command;

  @Option(names = "--device", description = "If a login is needed, use the device flow.")
  private boolean device;

  private final LoginEnvironment environment;

  KubeconfigCommand() {
    this(LoginEnvironment.system());
  }

  KubeconfigCommand(LoginEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (issuer.gateway == null) {
      throw new IllegalArgumentException("say which gateway: kgate kubeconfig --gateway https://<gateway address>");
    }
    if (merge && out != null) {
      throw new IllegalArgumentException("--merge and --out exclude each other");
    }
    LoginTarget target = issuer.resolve(environment, null);
    Credentials credentials = new Credentials(target.cache(), target.client(environment), environment.clock());
    AuthParameters parameters = AuthParameters.withScope(target.scope());
    Credentials.Login login = device
        ? client -> new DeviceFlow(client, err, environment.sleeper()).login(parameters)
        : client -> new AuthorizationCodeFlow(client, environment.browser(), err, Duration.ofMinutes(5)).login(parameters);
    TokenSet tokens = credentials.current(login);
    GatewayClusters granted = GatewayClusters.fetch(target.gatewayHttp(), target.gateway(), tokens.accessToken());
    if (granted.clusters().isEmpty()) {
      throw new IllegalStateException("the gateway " + target.place() + " grants " + Whoami.displayName(tokens)
          + " no cluster; ask its owners for access");
    }
    String caPem = target.gatewayCa() == null ? null : Files.readString(target.gatewayCa(), StandardCharsets.US_ASCII);
    KubeconfigEntries entries = KubeconfigEntries.of(target, granted, prefix, pluginCommand(), caPem);
    YAMLMapper yaml = yaml();
    if (!merge) {
      String text = yaml.writeValueAsString(entries.document());
      if (out == null) {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
      } else {
        writePrivate(out, text);
        err.println("Wrote " + out + " with contexts " + String.join(", ", entries.contextNames()) + ".");
      }
      return 0;
    }
    Path file = kubeconfig != null ? kubeconfig : defaultKubeconfig();
    ObjectNode existing = read(yaml, file);
    ObjectNode merged = new KubeconfigMerge(GatewayAddress.text(target.gateway()), KubeconfigEntries.userName(target.gateway()))
        .merge(existing, entries);
    Path backup = null;
    if (Files.exists(file)) {
      backup = file.resolveSibling(file.getFileName() + ".kgate-backup-" + BACKUP_STAMP.format(environment.clock().instant()));
      Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    }
    writePrivate(file, yaml.writeValueAsString(merged));
    err.println("Merged contexts " + String.join(", ", entries.contextNames()) + " into " + file
        + (backup != null ? " (backup: " + backup + ")" : "") + ". Try: kubectl --context "
        + entries.contextNames().get(0) + " get pods");
    return 0;
  }

  private String pluginCommand() {
    if (command != null) {
      return command;
    }
    String launcher = environment.environment().apply(COMMAND_VARIABLE);
    return launcher != null && !launcher.isBlank() ? launcher : "kgate";
  }

  private Path defaultKubeconfig() {
    String variable = environment.environment().apply("KUBECONFIG");
    if (variable != null && !variable.isBlank()) {
      for (String part : variable.split(java.io.File.pathSeparator)) {
        if (!part.isBlank()) {
          return Path.of(part); // kubectl writes new entries into the first file too
        }
      }
    }
    String home = environment.environment().apply("HOME");
    return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"), ".kube", "config");
  }

  private static ObjectNode read(YAMLMapper yaml, Path file) {
    if (!Files.exists(file)) {
      return yaml.createObjectNode();
    }
    try {
      JsonNode node = yaml.readTree(file.toFile());
      if (node == null || node.isMissingNode() || node.isNull()) {
        return yaml.createObjectNode();
      }
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalArgumentException(file + " is not a kubeconfig (not a YAML mapping); nothing was changed");
      }
      return object;
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + " is not valid YAML (" + e.getOriginalMessage() + "); nothing was changed");
    }
  }

  /** Writes through a temporary file in the same directory, so a crash leaves the old file or the new one. */
  private static void writePrivate(Path file, String text) {
    try {
      Path directory = file.toAbsolutePath().getParent();
      Files.createDirectories(directory);
      Path temporary = Files.createTempFile(directory, ".kgate-", ".tmp",
          PosixFilePermissions.asFileAttribute(TokenCache.FILE_MODE));
      try {
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        try {
          Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static YAMLMapper yaml() {
    return YAMLMapper.builder()
        .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
        .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
        .build();
  }
}
