package dev.kgate.sim.keycloak;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 time-based one-time passwords as Keycloak's default OTP policy makes them: HMAC-SHA1,
 * six digits, 30-second steps, keyed with the credential's secret as stored (its raw bytes).
 * A test logs in as a user with a second factor by computing the code an authenticator app shows.
 */
public final class Totp {

  private static final int DIGITS = 6;
  private static final long STEP_SECONDS = 30;

  private final byte[] secret;
  private final Clock clock;

  /** @param clock must be the real time: the IdP checks the code against its own clock */
  public Totp(String secret, Clock clock) {
    this.secret = Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The code for the current 30-second step. */
  public String now() {
    return at(clock.instant().getEpochSecond() / STEP_SECONDS);
  }

  /** The code for time step {@code counter} (RFC 4226 HOTP on the step number). */
  String at(long counter) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      byte[] hash = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(counter).array());
      int offset = hash[hash.length - 1] & 0x0f;
      int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
          | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
      int code = binary % (int) Math.pow(10, DIGITS);
      return String.format("%0" + DIGITS + "d", code);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK provides HmacSHA1", e);
    }
  }
}
