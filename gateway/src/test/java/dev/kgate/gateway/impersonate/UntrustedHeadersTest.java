package dev.kgate.gateway.impersonate;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UntrustedHeadersTest {

  @ParameterizedTest(name = "{0} is recognised as impersonation")
  @ValueSource(strings = {"Impersonate-User", "impersonate-user", "IMPERSONATE-GROUP", "Impersonate-Uid",
      "Impersonate-Extra-scopes", "impersonate_user", "X-Impersonate-User"})
  void impersonationHeadersInAnyCaseOrVariantAreFound(String name) {
    HttpHeaders headers = new DefaultHttpHeaders().add("Accept", "*/*").add(name, "admin");
    assertThat(UntrustedHeaders.impersonationHeader(headers)).isEqualToIgnoringCase(name);
  }

  @Test
  void ordinaryHeadersAreNotImpersonation() {
    HttpHeaders headers = new DefaultHttpHeaders().add("Accept", "*/*").add("User-Agent", "kubectl");
    assertThat(UntrustedHeaders.impersonationHeader(headers)).isNull();
  }

  @Test
  void credentialsIdentityForwardingAndHopByHopHeadersAreStripped() {
    HttpHeaders headers = new DefaultHttpHeaders()
        .add("Authorization", "Bearer user-token")
        .add("Proxy-Authorization", "Basic x")
        .add("X-Remote-User", "admin")
        .add("X-Remote-Group", "system:masters")
        .add("X-Remote-Extra-Foo", "bar")
        .add("X-Forwarded-For", "1.2.3.4")
        .add("X-Forwarded-Host", "evil")
        .add("Forwarded", "for=1.2.3.4")
        .add("X-Real-Ip", "1.2.3.4")
        .add("Connection", "keep-alive, X-Secret-Hop")
        .add("X-Secret-Hop", "1")
        .add("Keep-Alive", "timeout=5")
        .add("TE", "trailers")
        .add("Transfer-Encoding", "chunked")
        .add("Upgrade", "h2c")
        .add("x-http2-stream-id", "3")
        .add("Accept", "application/json")
        .add("Content-Type", "application/apply-patch+yaml")
        .add("Kubectl-Command", "kubectl get");

    UntrustedHeaders.stripRequest(headers, false);

    assertThat(headers.names()).containsExactlyInAnyOrder("Accept", "Content-Type", "Kubectl-Command");
  }

  @Test
  void upgradeHeadersSurviveForAnUpgradeButConnectionTokensStillGo() {
    HttpHeaders headers = new DefaultHttpHeaders()
        .add("Connection", "Upgrade")
        .add("Upgrade", "websocket")
        .add("Sec-WebSocket-Protocol", "v5.channel.k8s.io")
        .add("Sec-WebSocket-Key", "abc")
        .add("Authorization", "Bearer t");

    UntrustedHeaders.stripRequest(headers, true);

    assertThat(headers.get("Connection")).isEqualTo("Upgrade");
    assertThat(headers.get("Upgrade")).isEqualTo("websocket");
    assertThat(headers.get("Sec-WebSocket-Protocol")).isEqualTo("v5.channel.k8s.io");
    assertThat(headers.contains("Authorization")).isFalse();
  }
}
