package dev.kgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The edge of the pipeline on HTTP/1.1: framing rules and refused identity headers. */
class RequestEdgeTest {

  private final List<Object> passed = new ArrayList<>();
  private final List<Rejected> audited = new ArrayList<>();
  private EmbeddedChannel channel;

  private EmbeddedChannel channel() {
    HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(256).setMaxHeaderSize(1024);
    channel = new EmbeddedChannel(
        new CombinedChannelDuplexHandler<>(new StrictHttpRequestDecoder(config), new HttpResponseEncoder()),
        new RequestAdmissionHandler(false),
        new RejectionHandler(rejected -> {
          audited.add(rejected);
          return CompletableFuture.completedFuture(null);
        }),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            passed.add(msg);
          }
        });
    return channel;
  }

  @AfterEach
  void release() {
    passed.forEach(ReferenceCountUtil::release);
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
  }

  private String send(String raw) {
    channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
    StringBuilder out = new StringBuilder();
    for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
      out.append(b.toString(StandardCharsets.UTF_8));
      b.release();
    }
    return out.toString();
  }

  @Test
  void contentLengthWithTransferEncodingClosesTheConnection() {
    channel();
    String response = send("POST /clusters/a/api/v1/namespaces/x/configmaps HTTP/1.1\r\nHost: gw\r\n"
        + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n");

    assertThat(response).as("answered with a Status").startsWith("HTTP/1.1 400").contains("\"kind\":\"Status\"")
        .contains("ambiguous message framing");
    assertThat(channel.isOpen()).as("the connection is closed, the smuggled request never read").isFalse();
    assertThat(passed).as("nothing went further down the pipeline").isEmpty();
  }

  @Test
  void conflictingContentLengthsCloseTheConnection() {
    channel();
    String response = send("POST /clusters/a/api HTTP/1.1\r\nHost: gw\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde");

    assertThat(response).startsWith("HTTP/1.1 400");
    assertThat(channel.isOpen()).isFalse();
    assertThat(passed).isEmpty();
  }

  @Test
  void oversizedHeadersGet431AndClose() {
    channel();
    String response = send("GET /clusters/a/api HTTP/1.1\r\nHost: gw\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 431").contains("too large");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void clientImpersonationHeaderIsRefusedWith403AndNotPassedOn() {
    channel();
    String response = send("GET /clusters/a/api/v1/pods HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer x\r\n"
        + "impersonate-user: admin\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 403").contains("\"reason\":\"Forbidden\"")
        .contains("does not accept impersonation headers").contains("Audit-Id");
    assertThat(passed).as("only the empty end of the refused request may pass, never a request")
        .noneMatch(m -> m instanceof InboundRequest || m instanceof Rejected);
    assertThat(audited).as("the refusal is handed to the audit recorder")
        .singleElement().satisfies(r -> assertThat(r.failure().detail()).contains("impersonate-user"));
  }

  @Test
  void dotSegmentsAreRefusedWith400() {
    channel();
    String response = send("GET /clusters/a/../b/api/v1/pods HTTP/1.1\r\nHost: gw\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 400").contains("dot segment");
    assertThat(passed).noneMatch(m -> m instanceof InboundRequest);
    assertThat(audited).hasSize(1);
  }

  @Test
  void aWellFormedRequestIsPassedOnWithAnAuditIdAndItsRoute() {
    channel();
    send("GET /clusters/prod/api/v1/pods?watch=true HTTP/1.1\r\nHost: gw\r\n\r\n");

    assertThat(passed).first().isInstanceOfSatisfying(InboundRequest.class, r -> {
      assertThat(r.route()).hasToString("ToCluster[cluster=prod, upstreamUri=/api/v1/pods?watch=true]");
      assertThat(r.auditId()).hasSize(36);
      assertThat(r.upgrade()).isFalse();
      assertThat(r.bodyExpected()).isFalse();
    });
  }

  @Test
  void aWebSocketExecIsRecognisedAsAnUpgrade() {
    channel();
    send("GET /clusters/prod/api/v1/namespaces/d/pods/p/exec?command=ls HTTP/1.1\r\nHost: gw\r\n"
        + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n");

    assertThat(passed).first().isInstanceOfSatisfying(InboundRequest.class, r -> assertThat(r.upgrade()).isTrue());
  }
}
