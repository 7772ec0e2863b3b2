package dev.kgate.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.redact.CapturedBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The audit's copy of a body is taken beside the stream: the forwarded buffers go on untouched. */
class ExchangeBodiesTest {

  private static ByteBuf chunk(String text) {
    return Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void copyingAChunkLeavesItsIndexesAndReferenceCountAsTheyWere() {
    ExchangeBodies bodies = ExchangeBodies.copying(true, true, 1024);
    DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/x");
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    bodies.requestHead(head);
    ByteBuf first = chunk("{\"a\":");
    ByteBuf second = chunk("1}");
    try {
      bodies.requestChunk(first, false);
      bodies.requestChunk(second, true);

      assertThat(first.readerIndex()).isZero();
      assertThat(first.readableBytes()).isEqualTo(5);
      assertThat(first.refCnt()).as("no retain, no release").isEqualTo(1);
      CapturedBody request = bodies.request();
      assertThat(new String(request.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
      assertThat(request.contentType()).isEqualTo("application/json");
      assertThat(request.complete()).isTrue();
      assertThat(bodies.response().isEmpty()).as("nothing of the response yet, and not ended").isFalse();
    } finally {
      first.release();
      second.release();
    }
  }

  @Test
  void aBodyOverTheLimitKeepsOnlyItsSize() {
    ExchangeBodies bodies = ExchangeBodies.copying(false, true, 8);
    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
    bodies.responseHead(head);
    ByteBuf first = chunk("12345");
    ByteBuf second = chunk("6789");
    try {
      bodies.responseChunk(first, false);
      bodies.responseChunk(second, true);

      CapturedBody response = bodies.response();
      assertThat(response.bytes()).isNull();
      assertThat(response.size()).isEqualTo(9);
      assertThat(response.contentEncoding()).isEqualTo("gzip");
      assertThat(bodies.request()).as("not asked for").isNull();
    } finally {
      first.release();
      second.release();
    }
  }

  @Test
  void aBodyThatIsNeverWrittenIsCountedButNotCopied() {
    ExchangeBodies bodies = ExchangeBodies.copying(true, false, 0);
    ByteBuf secret = chunk("{\"data\":{\"x\":\"aHVudGVyMg==\"}}");
    try {
      bodies.requestChunk(secret, true);

      assertThat(bodies.request().bytes()).isNull();
      assertThat(bodies.request().size()).isEqualTo(secret.readableBytes());
    } finally {
      secret.release();
    }
  }

  @Test
  void aLevelWithoutBodiesCopiesNothing() {
    assertThat(ExchangeBodies.copying(false, false, 1024)).isSameAs(ExchangeBodies.NONE);
    assertThat(ExchangeBodies.NONE.request()).isNull();
    assertThat(ExchangeBodies.NONE.response()).isNull();
  }
}
