package dev.kgate.audit.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static List<Long> waits(Backoff backoff, int count) {
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      waits.add(backoff.next().toMillis());
    }
    return waits;
  }

  @Test
  void stepsDoubleUpToTheCapAndJitterStaysInTheUpperHalfOfEachStep() {
    Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.0);
    Backoff highest = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.999_999);

    assertThat(waits(lowest, 7)).containsExactly(50L, 100L, 200L, 400L, 500L, 500L, 500L);
    assertThat(waits(highest, 7)).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
  }

  @Test
  void manyFailuresNeverOverflowPastTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), () -> 0.999_999);

    assertThat(waits(backoff, 100)).allSatisfy(wait -> assertThat(wait).isBetween(50L, 30_000L));
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aSuccessStartsTheStepsOver() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.999_999);
    waits(backoff, 5);

    backoff.reset();

    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
  }
}
