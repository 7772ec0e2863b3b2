package dev.kgate.sim.keycloak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds an installed JDK of at least a given feature release, for programs that need a newer Java
 * than the one running the tests (Keycloak 26 needs 21+, our build runs on 17). Looks, in order,
 * at an explicit {@code kgate.keycloak.javaHome} property or {@code KEYCLOAK_JAVA_HOME} variable,
 * the running JVM, {@code JAVA_HOME}, and the usual install folders of Debian, Temurin, SDKMAN
 * and macOS; the newest qualifying one wins among the folders.
 */
public final class JavaRuntimes {

  public static final String JAVA_HOME_PROPERTY = "kgate.keycloak.javaHome";
  public static final String JAVA_HOME_VARIABLE = "KEYCLOAK_JAVA_HOME";

  private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"(1\\.)?(\\d+)", Pattern.MULTILINE);
  private static final List<String> INSTALL_FOLDERS = List.of(
      "/usr/lib/jvm", "/usr/java", "/opt/java", "/opt", System.getProperty("user.home") + "/.sdkman/candidates/java",
      System.getProperty("user.home") + "/.jdks", "/Library/Java/JavaVirtualMachines");

  private JavaRuntimes() {}

  /** @return the home of a JDK whose feature release is at least {@code feature}, if one is installed */
  public static Optional<Path> atLeast(int feature) {
    for (String explicit : new String[] {System.getProperty(JAVA_HOME_PROPERTY), System.getenv(JAVA_HOME_VARIABLE)}) {
      if (explicit != null && !explicit.isBlank()) {
        Path home = Path.of(explicit);
        return featureOf(home).orElse(0) >= feature ? Optional.of(home) : Optional.empty();
      }
    }
    List<Path> preferred = new ArrayList<>();
    preferred.add(Path.of(System.getProperty("java.home")));
    String javaHome = System.getenv("JAVA_HOME");
    if (javaHome != null && !javaHome.isBlank()) {
      preferred.add(Path.of(javaHome));
    }
    for (Path home : preferred) {
      if (featureOf(home).orElse(0) >= feature) {
        return Optional.of(home);
      }
    }
    return installed().stream()
        .filter(home -> featureOf(home).orElse(0) >= feature)
        .max(Comparator.comparingInt(home -> featureOf(home).orElse(0)));
  }

  /** The feature release (17, 21, 25…) of the JDK at {@code home}, read from its {@code release} file. */
  static OptionalInt featureOf(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
      return OptionalInt.empty();
    }
    try {
      Matcher matcher = RELEASE_VERSION.matcher(Files.readString(release, StandardCharsets.UTF_8));
      return matcher.find() ? OptionalInt.of(Integer.parseInt(matcher.group(2))) : OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static List<Path> installed() {
    List<Path> homes = new ArrayList<>();
    for (String folder : INSTALL_FOLDERS) {
      Path dir = Path.of(folder);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> children = Files.list(dir)) {
        children.forEach(child -> {
          homes.add(child);
          homes.add(child.resolve("Contents/Home")); // macOS bundles
        });
      } catch (IOException e) {
        // An unreadable folder simply offers no JDK.
      }
    }
    return homes;
  }
}
