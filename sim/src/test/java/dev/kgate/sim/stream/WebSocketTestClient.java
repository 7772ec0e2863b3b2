package dev.kgate.sim.stream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A WebSocket client for protocol tests: masks its frames as kubectl does, keeps every frame the
 * server sends (copied out of Netty buffers) in arrival order, and can hand the channel over to
 * other handlers after the handshake (for the port-forward tunnel).
 */
final class WebSocketTestClient implements AutoCloseable {

  /** A frame from the server. {@code closeStatus} is set for CLOSE frames. */
  record Frame(String type, byte[] payload, boolean last, int closeStatus) {
    int channel() {
      return payload[0] & 0xff;
    }

    String text() {
      return new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8);
    }
  }

  private final Channel channel;
  private final WebSocketClientHandshaker handshaker;
  private final BlockingQueue<Frame> frames;

  private WebSocketTestClient(Channel channel, WebSocketClientHandshaker handshaker, BlockingQueue<Frame> frames) {
    this.channel = channel;
    this.handshaker = handshaker;
    this.frames = frames;
  }

  /** Connects and completes the handshake offering {@code protocol} (comma-separated list allowed). */
  static WebSocketTestClient connect(EventLoopGroup group, int port, String pathAndQuery, String protocol)
      throws Exception {
    return connect(group, port, pathAndQuery, protocol, null);
  }

  /**
   * Connects; after the handshake {@code afterHandshake} may rebuild the pipeline (frames then no
   * longer reach {@link #next}).
   */
  static WebSocketTestClient connect(EventLoopGroup group, int port, String pathAndQuery, String protocol,
      Consumer<Channel> afterHandshake) throws Exception {
    URI uri = URI.create("ws://127.0.0.1:" + port + pathAndQuery);
    WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
        uri, WebSocketVersion.V13, protocol, false, new DefaultHttpHeaders(), 16 * 1024 * 1024);
    CompletableFuture<Void> handshakeDone = new CompletableFuture<>();
    BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    Channel channel = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new HttpClientCodec())
                .addLast(new HttpObjectAggregator(1 << 20))
                .addLast("test-client", new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelActive(ChannelHandlerContext ctx) {
                    // Started on the event loop, so the handshaker has finished its own pipeline
                    // changes before the answer can be read.
                    handshaker.handshake(ctx.channel());
                    ctx.fireChannelActive();
                  }

                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (!handshaker.isHandshakeComplete()) {
                      try {
                        handshaker.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
                        if (afterHandshake != null) {
                          afterHandshake.accept(ctx.channel());
                        }
                        handshakeDone.complete(null);
                      } catch (RuntimeException e) {
                        handshakeDone.completeExceptionally(e);
                      } finally {
                        ReferenceCountUtil.release(msg);
                      }
                      return;
                    }
                    receive(msg, frames);
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    handshakeDone.completeExceptionally(cause);
                    ctx.close();
                  }
                });
          }
        })
        .connect("127.0.0.1", port).sync().channel();
    handshakeDone.get(5, TimeUnit.SECONDS);
    return new WebSocketTestClient(channel, handshaker, frames);
  }

  private static void receive(Object msg, BlockingQueue<Frame> frames) {
    try {
      if (!(msg instanceof WebSocketFrame)) {
        return;
      }
      WebSocketFrame frame = (WebSocketFrame) msg;
      byte[] payload = ByteBufUtil.getBytes(frame.content());
      String type = frame instanceof BinaryWebSocketFrame ? "binary"
          : frame instanceof ContinuationWebSocketFrame ? "continuation"
          : frame instanceof TextWebSocketFrame ? "text"
          : frame instanceof PingWebSocketFrame ? "ping"
          : frame instanceof PongWebSocketFrame ? "pong"
          : "close";
      int closeStatus = frame instanceof CloseWebSocketFrame ? ((CloseWebSocketFrame) frame).statusCode() : -1;
      frames.add(new Frame(type, payload, frame.isFinalFragment(), closeStatus));
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  String protocol() {
    return handshaker.actualSubprotocol();
  }

  Channel channel() {
    return channel;
  }

  /** The next frame, or null after {@code timeout}. */
  Frame next(Duration timeout) throws InterruptedException {
    return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  void send(int channelByte, byte[] data) {
    byte[] payload = new byte[data.length + 1];
    payload[0] = (byte) channelByte;
    System.arraycopy(data, 0, payload, 1, data.length);
    channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload)));
  }

  void sendFrame(WebSocketFrame frame) {
    channel.writeAndFlush(frame);
  }

  void ping(byte[] data) {
    channel.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(data)));
  }

  boolean awaitClosed(Duration timeout) throws InterruptedException {
    return channel.closeFuture().await(timeout.toMillis());
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
