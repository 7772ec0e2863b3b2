package dev.kgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guards the build, not the speed: JMH finds benchmarks only through the list its annotation
 * processor writes, which silently goes missing when the processor is not configured (JDK 23+).
 * No benchmark runs here; the policy benchmark's setup does, since it checks that each request
 * shape is decided as its name says (a generator change could otherwise measure the wrong path).
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

  @Test
  void theAnnotationProcessorListedEveryPolicyDecisionBenchmark() throws IOException {
    try (InputStream list = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
      assertThat(list).as("/META-INF/BenchmarkList on the class path").isNotNull();
      String text = new String(list.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(text).contains(PolicyDecisionBenchmark.class.getName());
      for (String method : List.of("allowedEarlyRole", "allowedLateRole", "deniedAfterScanning", "denyRule",
          "discovery", "stepUp")) {
        assertThat(text).as("benchmark method %s", method)
            .contains("." + PolicyDecisionBenchmark.class.getSimpleName() + "_" + method + "_jmhTest");
      }
    }
  }

  @Test
  void theGeneratedPolicyLoadsAndEveryRequestShapeIsDecidedAsItsNameSays() {
    PolicyDecisionBenchmark benchmark = new PolicyDecisionBenchmark();
    benchmark.roles = 500;
    // load() throws when a case is decided otherwise than its name says (no benchmark runs here)
    benchmark.load();
    assertThat(benchmark.allowedLateRole()).isNotNull();
  }
}
