package dev.kgate.sim.stream;

import dev.kgate.sim.stream.container.ProcessIo;
import dev.kgate.sim.stream.container.SimProcess;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * exec and attach: validates the options, then upgrades to WebSocket ({@code v5.channel.k8s.io},
 * {@code v4.channel.k8s.io}) or SPDY/3.1 ({@code v4.channel.k8s.io} only, as a kubelet answers;
 * kubectl's v5 over SPDY is v4 anyway). A WebSocket request offering none of ours gets a 400, the
 * non-101 answer that makes kubectl fall back to SPDY.
 */
final class RemoteCommandUpgrade {

  static final String V5 = "v5.channel.k8s.io";
  static final String V4 = "v4.channel.k8s.io";
  static final List<String> WEBSOCKET_PROTOCOLS = List.of(V5, V4);
  static final List<String> SPDY_PROTOCOLS = List.of(V4);

  private RemoteCommandUpgrade() {}

  static void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, StreamRequest options,
      Function<ProcessIo, SimProcess> launcher) {
    Optional<String> problem = options.problem();
    if (problem.isPresent()) {
      HttpAnswers.refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, problem.get());
      return;
    }
    if (Upgrades.wantsWebSocket(request)) {
      List<String> offered = Upgrades.offered(request, HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
      Optional<String> protocol = Upgrades.firstSupported(offered, WEBSOCKET_PROTOCOLS);
      if (protocol.isEmpty()) {
        HttpAnswers.refuse(ctx, request, HttpResponseStatus.BAD_REQUEST,
            "unable to upgrade: unable to negotiate protocol: client supports " + offered
                + ", server supports " + WEBSOCKET_PROTOCOLS);
        return;
      }
      WebSocketExecHandler session = new WebSocketExecHandler(options, launcher, protocol.get().equals(V5));
      Upgrades.acceptWebSocket(ctx, request, protocol.get(), new Upgrades.Stage(Upgrades.SESSION, session))
          .ifPresent(upgraded -> upgraded.addListener(done -> {
            if (done.isSuccess()) {
              session.upgraded();
            } else {
              upgraded.channel().close();
            }
          }));
    } else if (Upgrades.wantsSpdy(request)) {
      List<String> offered = Upgrades.offered(request, Upgrades.STREAM_PROTOCOL_VERSION);
      Optional<String> protocol = Upgrades.firstSupported(offered, SPDY_PROTOCOLS);
      if (protocol.isEmpty()) {
        HttpAnswers.refuse(ctx, request, HttpResponseStatus.FORBIDDEN,
            "unable to upgrade: unable to negotiate protocol: client supports " + offered
                + ", server accepts " + SPDY_PROTOCOLS);
        return;
      }
      Upgrades.acceptSpdy(ctx, request, protocol.get(), new SpdyExecHandler(options, launcher));
    } else {
      HttpAnswers.refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, "Upgrade request required");
    }
  }
}
