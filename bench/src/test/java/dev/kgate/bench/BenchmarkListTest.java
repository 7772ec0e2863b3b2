package dev.kgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Guards the build, not the speed: JMH finds benchmarks only through the list its annotation
 * processor writes, which silently goes missing when the processor is not configured (JDK 23+).
 * No benchmark runs here.
 */
class BenchmarkListTest {

  @Test
  void theAnnotationProcessorListedBothVerificationBenchmarks() throws IOException {
    try (InputStream list = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
      assertThat(list).as("/META-INF/BenchmarkList on the class path").isNotNull();
      String text = new String(list.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(text)
          .contains(TokenVerificationBenchmark.class.getName())
          .contains("coldVerification")
          .contains("cachedVerification");
    }
  }
}
