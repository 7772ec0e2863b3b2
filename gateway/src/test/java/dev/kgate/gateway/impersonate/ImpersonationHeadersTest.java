package dev.kgate.gateway.impersonate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.auth.Identity;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImpersonationHeadersTest {

  private static Identity identity(List<String> groups, Map<String, List<String>> extra, String uid) {
    return new Identity("alice@example.com", uid, groups, extra, "https://idp", "sub-1", List.of(), null,
        null, Instant.parse("2030-01-01T00:00:00Z"));
  }

  @Test
  void everyGroupGoesOnItsOwnHeaderLineAndAuthenticatedIsAdded() {
    HttpHeaders headers = new DefaultHttpHeaders();
    ImpersonationHeaders.apply(identity(List.of(), Map.of(), "uid-1"), List.of("sre", "ops team", "a,b"), headers);

    assertThat(headers.getAll("Impersonate-User")).containsExactly("alice@example.com");
    assertThat(headers.getAll("Impersonate-Uid")).containsExactly("uid-1");
    assertThat(headers.getAll("Impersonate-Group"))
        .as("one line per group, never comma-joined, plus system:authenticated")
        .containsExactly("sre", "ops team", "a,b", "system:authenticated");
  }

  @Test
  void authenticatedGroupIsNotDuplicatedAndUidIsOptional() {
    HttpHeaders headers = new DefaultHttpHeaders();
    ImpersonationHeaders.apply(identity(List.of(), Map.of(), null), List.of("system:authenticated", "dev"), headers);

    assertThat(headers.getAll("Impersonate-Group")).containsExactly("system:authenticated", "dev");
    assertThat(headers.contains("Impersonate-Uid")).isFalse();
  }

  @Test
  void extrasAreOneLinePerValueWithEscapedKeys() {
    HttpHeaders headers = new DefaultHttpHeaders();
    ImpersonationHeaders.apply(identity(List.of(), Map.of("acme.io/team name", List.of("a,b", "c")), null), List.of(), headers);

    assertThat(headers.getAll("Impersonate-Extra-acme.io%2Fteam%20name")).containsExactly("a,b", "c");
  }

  @ParameterizedTest(name = "extra key {0} is sent as {1}")
  @CsvSource({
      "simple, simple",
      "acme.io/team name, acme.io%2Fteam%20name",
      "Example.com/Scopes, example.com%2Fscopes",
      "ünï, %C3%BCn%C3%AF",
      "100%, 100%25",
      "a!#$&'*+-.^_`|~z, a!#$&'*+-.^_`|~z",
  })
  void extraKeysAreEscapedLikeClientGo(String key, String escaped) {
    assertThat(ImpersonationHeaders.escapeExtraKey(key)).isEqualTo(escaped);
  }
}
