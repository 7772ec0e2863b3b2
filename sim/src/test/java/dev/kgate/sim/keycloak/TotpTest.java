package dev.kgate.sim.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one-time codes match RFC 6238's SHA-1 test vectors (last six of its eight digits). */
class TotpTest {

  @ParameterizedTest(name = "at {0} s the code is {1}")
  @CsvSource({
      "59, 287082",
      "1111111109, 081804",
      "1111111111, 050471",
      "1234567890, 005924",
      "2000000000, 279037",
      "20000000000, 353130"})
  void codesMatchTheRfcVectors(long epochSecond, String code) {
    Totp totp = new Totp("12345678901234567890", Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));

    assertThat(totp.now()).isEqualTo(code);
  }
}
