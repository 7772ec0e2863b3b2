package dev.kgate.auth.stepup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a request whose token is valid but whose login is too weak or too old (RFC 9470):
 * HTTP 401 with {@link #wwwAuthenticate()} as the {@code WWW-Authenticate} header and
 * {@link #userMessage()} as the Kubernetes {@code Status} message, which names the exact
 * {@code kgate login} command that gets a token that will pass.
 *
 * @param acrValues   {@code acr} values a new login may carry, most preferred first; empty for none
 * @param maxAge      how recent the new login must be, or null when freshness is not required
 * @param userMessage what the person reads (kubectl prints it), with the command to run
 * @param detail      what was missing, for the log and the audit record
 */
public record StepUpChallenge(List<String> acrValues, Duration maxAge, String userMessage, String detail)
    implements StepUpResult {

  public static final String ERROR = "insufficient_user_authentication";

  public StepUpChallenge {
    acrValues = List.copyOf(acrValues);
    Objects.requireNonNull(userMessage, "userMessage");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * The RFC 9470 challenge, e.g. {@code Bearer error="insufficient_user_authentication",
   * error_description="…", acr_values="mfa", max_age=600}. {@code acr_values} and {@code max_age}
   * appear only when required.
   */
  public String wwwAuthenticate() {
    StringBuilder header = new StringBuilder("Bearer error=\"").append(ERROR).append('"');
    header.append(", error_description=\"").append(quotable(userMessage)).append('"');
    if (!acrValues.isEmpty()) {
      header.append(", acr_values=\"").append(quotable(String.join(" ", acrValues))).append('"');
    }
    if (maxAge != null) {
      header.append(", max_age=").append(maxAge.toSeconds());
    }
    return header.toString();
  }

  /**
   * RFC 6750 §3 allows only printable ASCII other than {@code "} and {@code \} inside these
   * quoted values; the message quotes the command, so its quotes become apostrophes.
   */
  private static String quotable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        out.append('\'');
      } else if (c == '\\' || c < 0x20 || c > 0x7e) {
        out.append('?');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
