package dev.kgate.sim.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JDK's feature release is read from its {@code release} file, and the running JDK qualifies for itself. */
class JavaRuntimesTest {

  @Test
  void theRunningJdkIsFoundForItsOwnRelease() {
    int running = Runtime.version().feature();

    assertThat(JavaRuntimes.atLeast(running)).as("the JVM running this test").isPresent()
        .get().satisfies(home -> assertThat(JavaRuntimes.featureOf(home).orElse(0)).isGreaterThanOrEqualTo(running));
  }

  @Test
  void modernAndLegacyVersionStringsAreRead(@TempDir Path dir) throws IOException {
    assertThat(JavaRuntimes.featureOf(fakeJdk(dir.resolve("jdk25"), "25.0.1"))).hasValue(25);
    assertThat(JavaRuntimes.featureOf(fakeJdk(dir.resolve("jdk8"), "1.8.0_402"))).hasValue(8);
  }

  @Test
  void aFolderWithoutJavaIsNoJdk(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("release"), "JAVA_VERSION=\"21\"\n");

    assertThat(JavaRuntimes.featureOf(dir)).isEmpty();
  }

  private static Path fakeJdk(Path home, String version) throws IOException {
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\n");
    java.toFile().setExecutable(true);
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
    return home;
  }
}
