package dev.kgate.sim.stream;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Switching a front connection from HTTP/1.1 to a streaming protocol: protocol negotiation (the
 * server picks the first protocol the client offers that it supports), the 101 answer, and the
 * pipeline surgery. The session's handlers take the front handler's place; the HTTP codec goes
 * last, so bytes it had read past the request reach the new codec instead of being lost.
 */
final class Upgrades {

  static final String SESSION = "sim-stream-session";
  static final String SPDY_CODEC = "sim-spdy-codec";
  static final String TUNNEL_CODEC = "sim-websocket-tunnel";
  static final String STREAM_PROTOCOL_VERSION = "X-Stream-Protocol-Version";
  static final String SPDY_3_1 = "SPDY/3.1";

  /** kubectl sends stdin in 32 KiB messages; other clients may send more in one frame. */
  static final int MAX_WEBSOCKET_FRAME = 16 * 1024 * 1024;

  /** A handler to install, with its pipeline name. */
  record Stage(String name, ChannelHandler handler) {}

  private Upgrades() {}

  static boolean wantsWebSocket(HttpRequest request) {
    return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  static boolean wantsSpdy(HttpRequest request) {
    return request.headers().containsValue(HttpHeaderNames.UPGRADE, SPDY_3_1, true);
  }

  /** Every value of a header, repeated lines and comma-separated lists alike, in order. */
  static List<String> offered(HttpRequest request, CharSequence header) {
    List<String> values = new ArrayList<>();
    for (String line : request.headers().getAll(header)) {
      for (String value : line.split(",")) {
        if (!value.isBlank()) {
          values.add(value.trim());
        }
      }
    }
    return values;
  }

  static Optional<String> firstSupported(List<String> offered, List<String> supported) {
    return offered.stream().filter(supported::contains).findFirst();
  }

  /**
   * Answers the WebSocket handshake with {@code protocol} and installs {@code stages}; the future
   * completes once the 101 is written. Empty if the handshake was refused (already answered).
   */
  static Optional<ChannelFuture> acceptWebSocket(ChannelHandlerContext ctx, FullHttpRequest request,
      String protocol, Stage... stages) {
    String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
    WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(MAX_WEBSOCKET_FRAME)
        .allowExtensions(false)
        .build();
    WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, protocol, config)
        .newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return Optional.empty();
    }
    List<String> httpHandlers = httpHandlersBefore(ctx);
    ChannelFuture upgraded;
    try {
      upgraded = handshaker.handshake(ctx, request);
    } catch (WebSocketHandshakeException e) {
      HttpAnswers.refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, e.getMessage());
      return Optional.empty();
    }
    remove(ctx.pipeline(), httpHandlers);
    replaceFront(ctx, stages);
    return Optional.of(upgraded);
  }

  /** Answers 101 for SPDY/3.1 with {@code protocol}, then speaks SPDY to {@code session}. */
  static void acceptSpdy(ChannelHandlerContext ctx, FullHttpRequest request, String protocol, ChannelHandler session) {
    ChannelPipeline pipeline = ctx.pipeline();
    ChannelHandlerContext codec = pipeline.context(HttpServerCodec.class);
    if (codec == null) {
      HttpAnswers.refuse(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "no HTTP/1.1 codec to upgrade");
      return;
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
    response.headers()
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
        .set(HttpHeaderNames.UPGRADE, SPDY_3_1)
        .set(STREAM_PROTOCOL_VERSION, protocol);
    ctx.writeAndFlush(response);
    remove(pipeline, httpHandlersBefore(ctx));
    pipeline.addAfter(codec.name(), SPDY_CODEC, new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    replaceFront(ctx, new Stage(SESSION, session));
    pipeline.remove(codec.name());
  }

  /**
   * What the front keeps between the HTTP codec and itself (the aggregator, body sinks): after
   * the upgrade those handlers would only see frames that are not theirs.
   */
  private static List<String> httpHandlersBefore(ChannelHandlerContext front) {
    ChannelPipeline pipeline = front.pipeline();
    ChannelHandlerContext codec = pipeline.context(HttpServerCodec.class);
    List<String> names = pipeline.names();
    int from = codec == null ? -1 : names.indexOf(codec.name());
    int to = names.indexOf(front.name());
    if (from < 0 || to <= from) {
      return List.of();
    }
    return List.copyOf(names.subList(from + 1, to));
  }

  private static void remove(ChannelPipeline pipeline, List<String> names) {
    for (String name : names) {
      if (pipeline.get(name) != null) {
        pipeline.remove(name);
      }
    }
  }

  private static void replaceFront(ChannelHandlerContext front, Stage... stages) {
    ChannelPipeline pipeline = front.pipeline();
    for (int i = 0; i < stages.length - 1; i++) {
      pipeline.addBefore(front.name(), stages[i].name(), stages[i].handler());
    }
    Stage last = stages[stages.length - 1];
    pipeline.replace(front.name(), last.name(), last.handler());
    // The session manages reading itself (backpressure); start from reading.
    pipeline.channel().config().setAutoRead(true);
  }
}
