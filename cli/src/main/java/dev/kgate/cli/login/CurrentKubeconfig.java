package dev.kgate.cli.login;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The {@code kgate credential} options of the current kubeconfig context, so that a bare
 * {@code kgate login --mfa} (the command the gateway's step-up message names) logs in to the
 * gateway kubectl was just talking to. The kubeconfig is found as kubectl finds it:
 * {@code $KUBECONFIG} (the first file naming a current context) or {@code ~/.kube/config}.
 */
final class CurrentKubeconfig {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private CurrentKubeconfig() {}

  static Optional<IssuerOptions> credentialOptions(LoginEnvironment environment) {
    List<Path> files = files(environment);
    String context = null;
    List<JsonNode> documents = new ArrayList<>();
    for (Path file : files) {
      Optional<JsonNode> document = read(file);
      if (document.isEmpty()) {
        continue;
      }
      documents.add(document.get());
      String current = document.get().path("current-context").asString("");
      if (context == null && !current.isEmpty()) {
        context = current;
      }
    }
    if (context == null) {
      return Optional.empty();
    }
    String user = null;
    for (JsonNode document : documents) {
      JsonNode entry = named(document.path("contexts"), context);
      if (entry != null) {
        user = entry.path("context").path("user").asString(null);
        break;
      }
    }
    if (user == null) {
      return Optional.empty();
    }
    for (JsonNode document : documents) {
      JsonNode entry = named(document.path("users"), user);
      if (entry != null) {
        return options(entry.path("user").path("exec").path("args"));
      }
    }
    return Optional.empty();
  }

  private static List<Path> files(LoginEnvironment environment) {
    String variable = environment.environment().apply("KUBECONFIG");
    List<Path> files = new ArrayList<>();
    if (variable != null && !variable.isBlank()) {
      for (String part : variable.split(File.pathSeparator)) {
        if (!part.isBlank()) {
          files.add(Path.of(part));
        }
      }
      return files;
    }
    String home = environment.environment().apply("HOME");
    files.add(Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"), ".kube", "config"));
    return files;
  }

  private static Optional<JsonNode> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(YAML.readTree(file.toFile()));
    } catch (JacksonException e) {
      return Optional.empty(); // kubectl would complain about it itself; here it just names no login
    }
  }

  private static JsonNode named(JsonNode list, String name) {
    for (JsonNode entry : list) {
      if (name.equals(entry.path("name").asString(null))) {
        return entry;
      }
    }
    return null;
  }

  /** The options after {@code credential} in the exec plugin's arguments. */
  private static Optional<IssuerOptions> options(JsonNode args) {
    List<String> values = new ArrayList<>();
    args.forEach(arg -> values.add(arg.asString("")));
    int start = LoginPlugin.optionsStart(values);
    if (start < 0) {
      return Optional.empty();
    }
    CredentialArguments parsed = new CredentialArguments();
    CommandLine commandLine = new CommandLine(parsed);
    commandLine.setUnmatchedArgumentsAllowed(true);
    try {
      commandLine.parseArgs(values.subList(start, values.size()).toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      return Optional.empty();
    }
    return Optional.of(parsed.options);
  }

  @Command(name = "credential")
  static final class CredentialArguments {
    @Mixin IssuerOptions options;
  }
}
