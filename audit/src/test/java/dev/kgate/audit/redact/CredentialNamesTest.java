package dev.kgate.audit.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "password", "Password", "DB_PASSWORD", "db.password", "adminPasswd", "passphrase", "token", "accessToken",
      "refresh_token", "bearerToken", "clientSecret", "client_secret", "secret", "apiKey", "api_key", "X-API-KEY",
      "privateKey", "private_key", "credentials", "awsSecretAccessKey", "Authorization", "auth", "tls.key",
      "sessionCookie"})
  void namesThatHoldCredentialsAreRecognised(String name) {
    assertThat(CredentialNames.looksLikeCredential(name)).as(name).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "name", "namespace", "secretName", "secretRef", "secretKeyRef", "imagePullSecrets",
      "tokenExpirationSeconds", "key", "data", "author", "keyword", "", "--"})
  void referencesAndOrdinaryFieldsAreNot(String name) {
    assertThat(CredentialNames.looksLikeCredential(name)).as(name).isFalse();
  }
}
