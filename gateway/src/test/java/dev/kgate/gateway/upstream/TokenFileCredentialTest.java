package dev.kgate.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileCredentialTest {

  /** Long enough that the scheduled check never runs during a test that must not see it. */
  private static final Duration NEVER = Duration.ofHours(1);

  @TempDir Path dir;
  Path token;
  ScheduledThreadPoolExecutor background;

  @BeforeEach
  void setUp() throws IOException {
    token = Files.writeString(dir.resolve("token"), "first-token\n");
    background = new ScheduledThreadPoolExecutor(1);
    background.setRemoveOnCancelPolicy(true);
  }

  @AfterEach
  void tearDown() {
    background.shutdownNow();
  }

  @Test
  void theTokenIsReadAtStartAndSetAsBearerAuthorization() throws IOException {
    try (TokenFileCredential credential = TokenFileCredential.start(token, background, NEVER)) {
      assertThat(authorizationFrom(credential)).isEqualTo("Bearer first-token");
    }
  }

  @Test
  void applyToReplacesAnyAuthorizationAlreadyThere() throws IOException {
    try (TokenFileCredential credential = TokenFileCredential.start(token, background, NEVER)) {
      HttpHeaders headers = new DefaultHttpHeaders().add(HttpHeaderNames.AUTHORIZATION, "Bearer client-token");
      credential.applyTo(headers);
      assertThat(headers.getAll(HttpHeaderNames.AUTHORIZATION)).containsExactly("Bearer first-token");
    }
  }

  @Test
  void aRewrittenFileIsPickedUpByTheBackgroundCheck() throws IOException {
    try (TokenFileCredential credential =
        TokenFileCredential.start(token, background, Duration.ofMillis(20))) {
      Files.writeString(token, "second-token-after-rotation\n");

      await().atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(authorizationFrom(credential)).isEqualTo("Bearer second-token-after-rotation"));
    }
  }

  @Test
  void anAtomicSwapLikeTheKubeletsIsPickedUp() throws IOException {
    try (TokenFileCredential credential =
        TokenFileCredential.start(token, background, Duration.ofMillis(20))) {
      Path staged = Files.writeString(dir.resolve("..token.tmp"), "swapped-token\n");
      Files.move(staged, token, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

      await().atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(authorizationFrom(credential)).isEqualTo("Bearer swapped-token"));
    }
  }

  @Test
  void theCallerNeverReadsTheFileOnlyTheBackgroundCheckDoes() throws IOException {
    try (TokenFileCredential credential = TokenFileCredential.start(token, background, NEVER)) {
      Files.writeString(token, "rotated-token\n");
      assertThat(authorizationFrom(credential))
          .as("applyTo serves the token held in memory, however often it is called")
          .isEqualTo("Bearer first-token");

      Files.delete(token);
      assertThat(authorizationFrom(credential)).as("no file needed at all").isEqualTo("Bearer first-token");

      Files.writeString(token, "rotated-token\n");
      credential.checkForChange(); // what the scheduled task runs
      assertThat(authorizationFrom(credential)).isEqualTo("Bearer rotated-token");
    }
  }

  @Test
  void aFailedReReadKeepsThePreviousToken() throws IOException {
    try (TokenFileCredential credential = TokenFileCredential.start(token, background, NEVER)) {
      Files.delete(token);
      credential.checkForChange();
      assertThat(authorizationFrom(credential)).as("file gone").isEqualTo("Bearer first-token");

      Files.writeString(token, "   \n");
      credential.checkForChange();
      assertThat(authorizationFrom(credential)).as("file empty").isEqualTo("Bearer first-token");

      Files.writeString(token, "line1\nline2\n");
      credential.checkForChange();
      assertThat(authorizationFrom(credential)).as("header injection attempt").isEqualTo("Bearer first-token");
    }
  }

  @Test
  void anEmptyOrMissingFileFailsAtStart() throws IOException {
    Files.writeString(token, "\n");

    assertThatThrownBy(() -> TokenFileCredential.start(token, background, NEVER))
        .isInstanceOf(IOException.class)
        .hasMessage("the token file " + token + " is empty");
    assertThatThrownBy(() -> TokenFileCredential.start(dir.resolve("missing"), background, NEVER))
        .isInstanceOf(IOException.class);
    assertThat(background.getQueue()).as("nothing scheduled for a failed start").isEmpty();
  }

  @Test
  void closeStopsTheBackgroundCheck() throws IOException {
    TokenFileCredential credential = TokenFileCredential.start(token, background, NEVER);
    assertThat(background.getQueue()).hasSize(1);

    credential.close();

    assertThat(background.getQueue()).isEmpty();
  }

  @Test
  void theTokenNeverAppearsInToString() throws IOException {
    try (TokenFileCredential credential = TokenFileCredential.start(token, background, NEVER)) {
      assertThat(credential.toString()).doesNotContain("first-token").contains(token.toString());
    }
  }

  private static String authorizationFrom(UpstreamCredential credential) {
    HttpHeaders headers = new DefaultHttpHeaders();
    credential.applyTo(headers);
    return headers.get(HttpHeaderNames.AUTHORIZATION);
  }
}
