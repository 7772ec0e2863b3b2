package dev.kgate.sim.stream;

import dev.kgate.sim.stream.container.ProcessIo;
import dev.kgate.sim.stream.container.SimProcess;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * exec and attach over WebSocket, subprotocols {@code v5.channel.k8s.io} and {@code
 * v4.channel.k8s.io}: every binary message starts with its channel byte (0 stdin, 1 stdout, 2
 * stderr, 3 status, 4 resize, and in v5 255 for "close channel N"). Messages may arrive in
 * fragments; only the first fragment carries the channel byte. PINGs get PONGs, because kubectl
 * drops a session after 61 s without one; its data does not count.
 */
final class WebSocketExecHandler extends ExecSessionHandler {

  static final int STDIN = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  static final int STATUS = 3;
  static final int RESIZE = 4;
  static final int CLOSE = 255;

  private static final int NO_CHANNEL_YET = -1;
  private static final int NORMAL_CLOSURE = 1000;

  private final boolean closeSignals;
  private int messageChannel = NO_CHANNEL_YET;
  private boolean closeSent;

  /** {@code closeSignals}: whether the negotiated protocol (v5) has the CLOSE channel. */
  WebSocketExecHandler(StreamRequest request, Function<ProcessIo, SimProcess> launcher, boolean closeSignals) {
    super(request, launcher);
    this.closeSignals = closeSignals;
  }

  /** Called once the 101 is out: announce readiness with an empty message, then run. */
  void upgraded() {
    int readyChannel = request.stdout() ? STDOUT : request.stderr() ? STDERR : STATUS;
    ctx.writeAndFlush(message(readyChannel, Unpooled.EMPTY_BUFFER));
    launch();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    WebSocketFrame frame = (WebSocketFrame) msg;
    try {
      if (frame instanceof BinaryWebSocketFrame) {
        messageChannel = NO_CHANNEL_YET;
        fragment(frame);
      } else if (frame instanceof ContinuationWebSocketFrame) {
        fragment(frame);
      } else if (frame instanceof PingWebSocketFrame) {
        ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
      } else if (frame instanceof CloseWebSocketFrame) {
        closeReceived((CloseWebSocketFrame) frame);
      }
      // Pongs need nothing; text frames are not part of the binary channel protocols.
    } finally {
      frame.release();
    }
  }

  private void fragment(WebSocketFrame frame) {
    ByteBuf content = frame.content();
    if (messageChannel == NO_CHANNEL_YET && content.isReadable()) {
      messageChannel = content.readUnsignedByte();
    }
    if (content.isReadable()) {
      dispatch(messageChannel, content);
    }
    if (frame.isFinalFragment()) {
      messageChannel = NO_CHANNEL_YET;
    }
  }

  private void dispatch(int channel, ByteBuf content) {
    switch (channel) {
      case STDIN:
        deliverStdin(content.retainedSlice());
        break;
      case RESIZE:
        deliverResize(content);
        break;
      case CLOSE:
        if (closeSignals) {
          while (content.isReadable()) {
            if (content.readUnsignedByte() == STDIN) {
              deliverStdinEnd();
            }
          }
        }
        break;
      default:
        // Data for a channel the server does not read is dropped, as the kubelet does.
        break;
    }
  }

  private void closeReceived(CloseWebSocketFrame frame) {
    if (closeSent) {
      ctx.close();
      return;
    }
    closeSent = true;
    int status = frame.statusCode() < 0 ? NORMAL_CLOSURE : frame.statusCode();
    ctx.writeAndFlush(new CloseWebSocketFrame(status, "")).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  protected void writeStdout(ByteBuf data) {
    write(request.stdout() ? STDOUT : -1, data);
  }

  @Override
  protected void writeStderr(ByteBuf data) {
    write(request.stderr() ? STDERR : -1, data);
  }

  private void write(int channel, ByteBuf data) {
    if (channel < 0 || closeSent) {
      data.release();
      return;
    }
    ctx.writeAndFlush(message(channel, data));
  }

  @Override
  protected void finishSession(String statusJson) {
    if (closeSent) {
      return;
    }
    ctx.write(message(STATUS, Unpooled.wrappedBuffer(statusJson.getBytes(StandardCharsets.UTF_8))));
    closeSent = true;
    ctx.writeAndFlush(new CloseWebSocketFrame(NORMAL_CLOSURE, ""));
    closeLater();
  }

  /** One binary message: the channel byte, then {@code data} (whose ownership passes). */
  private BinaryWebSocketFrame message(int channel, ByteBuf data) {
    try {
      ByteBuf payload = ctx.alloc().buffer(1 + data.readableBytes());
      payload.writeByte(channel);
      payload.writeBytes(data);
      return new BinaryWebSocketFrame(payload);
    } finally {
      data.release();
    }
  }
}
