package dev.kgate.sim.stream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.util.List;

/**
 * port-forward: SPDY/3.1 with {@code portforward.k8s.io}, or, as kubectl 1.31+ asks first, the
 * same SPDY carried in a WebSocket whose subprotocol is {@code SPDY/3.1+portforward.k8s.io}.
 */
final class PortForwardUpgrade {

  static final String PROTOCOL = "portforward.k8s.io";
  static final String TUNNEL_PROTOCOL = "SPDY/3.1+" + PROTOCOL;

  private PortForwardUpgrade() {}

  static void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String namespace, String pod) {
    if (Upgrades.wantsWebSocket(request)) {
      List<String> offered = Upgrades.offered(request, HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
      if (!offered.contains(TUNNEL_PROTOCOL)) {
        HttpAnswers.refuse(ctx, request, HttpResponseStatus.BAD_REQUEST,
            "unable to upgrade: unable to negotiate protocol: client supports " + offered
                + ", server supports [" + TUNNEL_PROTOCOL + "]");
        return;
      }
      Upgrades.acceptWebSocket(ctx, request, TUNNEL_PROTOCOL,
          new Upgrades.Stage(Upgrades.TUNNEL_CODEC, new WebSocketTunnelCodec()),
          new Upgrades.Stage(Upgrades.SPDY_CODEC, new SpdyFrameCodec(SpdyVersion.SPDY_3_1)),
          new Upgrades.Stage(Upgrades.SESSION, new SpdyPortForwardHandler(namespace, pod)))
          .ifPresent(upgraded -> upgraded.addListener(done -> {
            if (!done.isSuccess()) {
              upgraded.channel().close();
            }
          }));
    } else if (Upgrades.wantsSpdy(request)) {
      List<String> offered = Upgrades.offered(request, Upgrades.STREAM_PROTOCOL_VERSION);
      if (!offered.contains(PROTOCOL)) {
        HttpAnswers.refuse(ctx, request, HttpResponseStatus.FORBIDDEN,
            "unable to upgrade: unable to negotiate protocol: client supports " + offered
                + ", server accepts [" + PROTOCOL + "]");
        return;
      }
      Upgrades.acceptSpdy(ctx, request, PROTOCOL, new SpdyPortForwardHandler(namespace, pod));
    } else {
      HttpAnswers.refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, "Upgrade request required");
    }
  }
}
