package dev.kgate.auth.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void everyDocumentedUnitParses() {
    assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("10s")).contains(Duration.ofSeconds(10));
    assertThat(Durations.parse("5m")).contains(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
    assertThat(Durations.parse("1d")).contains(Duration.ofDays(1));
  }

  @Test
  void unitsCanBeCombined() {
    assertThat(Durations.parse("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(Durations.parse("1m500ms")).contains(Duration.ofMillis(60_500));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "10x", "-1s", "", "1.5h", "s", "10 s", "99999999999999999999d"})
  void anythingElseIsNotADuration(String text) {
    assertThat(Durations.parse(text)).as("'%s' is not a duration", text).isEmpty();
  }

  @Test
  void formatWritesTheConfigurationNotation() {
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(Durations.format(Duration.ofDays(1).plusHours(2))).isEqualTo("1d2h");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
