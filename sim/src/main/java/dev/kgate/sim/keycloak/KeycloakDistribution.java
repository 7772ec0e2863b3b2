package dev.kgate.sim.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Keycloak server distribution ({@code org.keycloak:keycloak-quarkus-dist:zip}) as Maven
 * resolved it, unpacked once under a work folder and reused by later runs (its first start
 * caches Quarkus' build there, which makes every later start several times faster).
 *
 * <p>The zip is found through the {@value #ZIP_PROPERTY} system property, which the {@code sim}
 * build's {@code keycloak} profile sets after resolving the artifact, or else in the local Maven
 * repository. It is never downloaded from here: Maven does that, with its mirrors and proxies.
 */
public final class KeycloakDistribution {

  public static final String VERSION = "26.7.3";
  public static final String COORDINATES = "org.keycloak:keycloak-quarkus-dist:" + VERSION + ":zip";
  public static final String ZIP_PROPERTY = "kgate.keycloak.zip";

  private static final String TOP_FOLDER = "keycloak-" + VERSION;
  private static final String UNPACKED_MARKER = ".kgate-unpacked";

  private KeycloakDistribution() {}

  /** @return the distribution zip, if Maven has resolved it */
  public static Optional<Path> zip() {
    String explicit = System.getProperty(ZIP_PROPERTY);
    if (explicit != null && !explicit.isBlank() && !explicit.startsWith("${")) {
      Path zip = Path.of(explicit);
      return Files.isRegularFile(zip) ? Optional.of(zip) : Optional.empty();
    }
    String repository = System.getProperty("maven.repo.local");
    Path local = repository != null && !repository.isBlank()
        ? Path.of(repository)
        : Path.of(System.getProperty("user.home"), ".m2", "repository");
    Path zip = local.resolve("org/keycloak/keycloak-quarkus-dist/" + VERSION
        + "/keycloak-quarkus-dist-" + VERSION + ".zip");
    return Files.isRegularFile(zip) ? Optional.of(zip) : Optional.empty();
  }

  /** What to run when {@link #zip()} finds nothing. */
  public static String howToGetIt() {
    return "run \"./mvnw -pl sim -Pkeycloak test\" (its build resolves " + COORDINATES + "), or \"./mvnw"
        + " dependency:get -Dartifact=" + COORDINATES + " -Dtransitive=false\"";
  }

  /**
   * Unpacks {@code zip} into {@code workDir} unless an earlier run already did.
   *
   * @return the Keycloak home folder (holding {@code bin/kc.sh})
   */
  public static Path unpack(Path zip, Path workDir) {
    Path home = workDir.resolve(TOP_FOLDER);
    if (Files.isRegularFile(home.resolve(UNPACKED_MARKER))) {
      return home;
    }
    try {
      Files.createDirectories(workDir);
      Path normalizedWork = workDir.toAbsolutePath().normalize();
      try (ZipFile archive = new ZipFile(zip.toFile())) {
        Enumeration<? extends ZipEntry> entries = archive.entries();
        while (entries.hasMoreElements()) {
          ZipEntry entry = entries.nextElement();
          Path target = normalizedWork.resolve(entry.getName()).normalize();
          if (!target.startsWith(normalizedWork)) {
            throw new IOException("zip entry escapes the work folder: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(target);
            continue;
          }
          Files.createDirectories(target.getParent());
          try (InputStream in = archive.getInputStream(entry)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          }
          // java.util.zip drops Unix modes; the launch scripts must stay executable.
          if (entry.getName().endsWith(".sh")) {
            target.toFile().setExecutable(true, false);
          }
        }
      }
      Files.writeString(home.resolve(UNPACKED_MARKER), zip.toString());
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + zip + " into " + workDir, e);
    }
  }
}
