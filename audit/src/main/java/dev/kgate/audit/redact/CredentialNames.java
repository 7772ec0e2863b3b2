package dev.kgate.audit.redact;

import java.util.List;
import java.util.Locale;

/**
 * Tells whether a field name looks like it holds a credential. Names are compared without case
 * and without separators, so {@code DB_PASSWORD}, {@code db.password} and {@code dbPassword} are
 * one name. Words that are a credential wherever they appear ({@code password}, {@code apiKey},
 * {@code privateKey}, {@code clientSecret}…) match anywhere in the name; words that are also part
 * of ordinary Kubernetes fields match only at the end, so {@code accessToken} and {@code
 * clientSecret} are redacted while {@code secretName}, {@code secretKeyRef}, {@code
 * imagePullSecrets} and {@code tokenExpirationSeconds} (references and settings, which a reviewer
 * wants to see) are not.
 */
public final class CredentialNames {

  private static final List<String> ANYWHERE = List.of(
      "password", "passwd", "passphrase", "privatekey", "apikey", "accesskey", "clientsecret",
      "credential", "authorization", "bearer");
  private static final List<String> AT_THE_END = List.of(
      "secret", "token", "pwd", "cookie", "secretkey", "tlskey", "sshkey", "signingkey", "encryptionkey");
  private static final List<String> WHOLE = List.of("auth");

  private CredentialNames() {}

  public static boolean looksLikeCredential(String name) {
    String plain = normalized(name);
    if (plain.isEmpty()) {
      return false;
    }
    for (String word : ANYWHERE) {
      if (plain.contains(word)) {
        return true;
      }
    }
    for (String word : AT_THE_END) {
      if (plain.endsWith(word)) {
        return true;
      }
    }
    return WHOLE.contains(plain);
  }

  private static String normalized(String name) {
    StringBuilder plain = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        plain.append(c);
      }
    }
    return plain.toString().toLowerCase(Locale.ROOT);
  }
}
