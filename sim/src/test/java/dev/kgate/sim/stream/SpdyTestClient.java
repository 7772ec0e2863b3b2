package dev.kgate.sim.stream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A SPDY/3.1 client in the manner of moby/spdystream, for protocol tests: it upgrades with a POST
 * (or inside the port-forward WebSocket tunnel), opens streams with odd ids, and records every
 * frame the server sends, copied out of Netty buffers.
 */
final class SpdyTestClient implements AutoCloseable {

  enum Kind { REPLY, DATA, RST, PING, GOAWAY, CLOSED }

  /** One frame from the server. */
  record Event(Kind kind, int streamId, byte[] data, boolean last, Map<String, String> headers) {}

  /** The answer to the upgrade request. */
  record Upgrade(int status, HttpHeaders headers, String body) {}

  private final Channel channel;
  private final Upgrade upgrade;
  private final BlockingQueue<Event> events;
  private final List<Event> backlog = new ArrayList<>();
  private final AtomicInteger nextStreamId = new AtomicInteger(1);

  private SpdyTestClient(Channel channel, Upgrade upgrade, BlockingQueue<Event> events) {
    this.channel = channel;
    this.upgrade = upgrade;
    this.events = events;
  }

  /** POSTs a SPDY/3.1 upgrade offering {@code protocols}; switches to SPDY if the answer is 101. */
  static SpdyTestClient connect(EventLoopGroup group, int port, String pathAndQuery, List<String> protocols)
      throws Exception {
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    CompletableFuture<Upgrade> answer = new CompletableFuture<>();
    Channel channel = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast("http-codec", new HttpClientCodec())
                .addLast("http-aggregator", new HttpObjectAggregator(1 << 20))
                .addLast("upgrade", new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    FullHttpResponse response = (FullHttpResponse) msg;
                    try {
                      Upgrade upgrade = new Upgrade(response.status().code(), response.headers().copy(),
                          response.content().toString(StandardCharsets.UTF_8));
                      if (upgrade.status() == 101) {
                        ChannelPipeline pipeline = ctx.pipeline();
                        pipeline.addAfter("http-codec", "spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
                        pipeline.replace("upgrade", "session", new Recorder(events));
                        pipeline.remove("http-aggregator");
                        pipeline.remove("http-codec");
                      }
                      answer.complete(upgrade);
                    } finally {
                      response.release();
                    }
                  }
                });
          }
        })
        .connect("127.0.0.1", port).sync().channel();
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, pathAndQuery);
    request.headers()
        .set(HttpHeaderNames.HOST, "127.0.0.1:" + port)
        .set(HttpHeaderNames.CONTENT_LENGTH, 0)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE)
        .set(HttpHeaderNames.UPGRADE, "SPDY/3.1");
    protocols.forEach(protocol -> request.headers().add("X-Stream-Protocol-Version", protocol));
    channel.writeAndFlush(request);
    return new SpdyTestClient(channel, answer.get(5, TimeUnit.SECONDS), events);
  }

  /**
   * Opens the port-forward WebSocket tunnel and speaks SPDY inside it, cutting every SPDY frame
   * into binary messages of at most {@code messageSize} bytes, as spdystream's field-by-field
   * writes do.
   */
  static SpdyTestClient connectTunnel(EventLoopGroup group, int port, String path, int messageSize)
      throws Exception {
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    WebSocketTestClient websocket = WebSocketTestClient.connect(group, port, path,
        PortForwardUpgrade.TUNNEL_PROTOCOL, channel -> {
          ChannelPipeline pipeline = channel.pipeline();
          pipeline.replace("test-client", "tunnel", new SplittingTunnel(messageSize));
          pipeline.addLast("spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
          pipeline.addLast("session", new Recorder(events));
        });
    return new SpdyTestClient(websocket.channel(),
        new Upgrade(101, null, websocket.protocol()), events);
  }

  Upgrade upgrade() {
    return upgrade;
  }

  /** Opens a stream with {@code headers}; returns its id. */
  int open(Map<String, String> headers, boolean fin) {
    int streamId = nextStreamId.getAndAdd(2);
    SpdySynStreamFrame frame = new DefaultSpdySynStreamFrame(streamId, 0, (byte) 0);
    headers.forEach((name, value) -> frame.headers().set(name, value));
    frame.setLast(fin);
    channel.writeAndFlush(frame);
    return streamId;
  }

  void data(int streamId, byte[] bytes, boolean fin) {
    SpdyDataFrame frame = new DefaultSpdyDataFrame(streamId, Unpooled.wrappedBuffer(bytes));
    frame.setLast(fin);
    channel.writeAndFlush(frame);
  }

  void ping(int id) {
    channel.writeAndFlush(new DefaultSpdyPingFrame(id));
  }

  void reset(int streamId) {
    channel.writeAndFlush(new DefaultSpdyRstStreamFrame(streamId, SpdyStreamStatus.CANCEL));
  }

  void goAway() {
    channel.writeAndFlush(new DefaultSpdyGoAwayFrame(nextStreamId.get()));
  }

  /** The first event (earlier ones not taken included) matching {@code wanted}, or null after {@code timeout}. */
  Event await(Predicate<Event> wanted, Duration timeout) throws InterruptedException {
    for (Iterator<Event> it = backlog.iterator(); it.hasNext(); ) {
      Event event = it.next();
      if (wanted.test(event)) {
        it.remove();
        return event;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Event event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (event == null) {
        return null;
      }
      if (wanted.test(event)) {
        return event;
      }
      backlog.add(event);
    }
  }

  Event awaitReply(int streamId) throws InterruptedException {
    return await(e -> e.kind() == Kind.REPLY && e.streamId() == streamId, Duration.ofSeconds(5));
  }

  /** The bytes of a stream up to its FIN; fails if the FIN does not come within {@code timeout}. */
  byte[] readToFin(int streamId, Duration timeout) throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (true) {
      Event event = await(e -> e.kind() == Kind.DATA && e.streamId() == streamId, timeout);
      if (event == null) {
        throw new AssertionError("no FIN on stream " + streamId + " after " + bytes.size() + " bytes: "
            + bytes.toString(StandardCharsets.UTF_8));
      }
      bytes.writeBytes(event.data());
      if (event.last()) {
        return bytes.toByteArray();
      }
    }
  }

  /** Reads exactly {@code length} bytes of a stream. */
  byte[] read(int streamId, int length, Duration timeout) throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (bytes.size() < length) {
      Event event = await(e -> e.kind() == Kind.DATA && e.streamId() == streamId, timeout);
      if (event == null) {
        throw new AssertionError("only " + bytes.size() + " of " + length + " bytes on stream " + streamId);
      }
      bytes.writeBytes(event.data());
    }
    return bytes.toByteArray();
  }

  boolean awaitClosed(Duration timeout) throws InterruptedException {
    return channel.closeFuture().await(timeout.toMillis());
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  /** Records the server's frames. */
  private static final class Recorder extends ChannelInboundHandlerAdapter {
    private final BlockingQueue<Event> events;

    Recorder(BlockingQueue<Event> events) {
      this.events = events;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof SpdySynReplyFrame) {
          SpdySynReplyFrame reply = (SpdySynReplyFrame) msg;
          Map<String, String> headers = new LinkedHashMap<>();
          reply.headers().forEach(entry -> headers.put(entry.getKey().toString(), entry.getValue().toString()));
          events.add(new Event(Kind.REPLY, reply.streamId(), new byte[0], reply.isLast(), headers));
        } else if (msg instanceof SpdyDataFrame) {
          SpdyDataFrame data = (SpdyDataFrame) msg;
          events.add(new Event(Kind.DATA, data.streamId(), ByteBufUtil.getBytes(data.content()), data.isLast(), Map.of()));
        } else if (msg instanceof SpdyRstStreamFrame) {
          events.add(new Event(Kind.RST, ((SpdyRstStreamFrame) msg).streamId(), new byte[0], true, Map.of()));
        } else if (msg instanceof SpdyPingFrame) {
          events.add(new Event(Kind.PING, ((SpdyPingFrame) msg).id(), new byte[0], false, Map.of()));
        } else if (msg instanceof SpdyGoAwayFrame) {
          events.add(new Event(Kind.GOAWAY, 0, new byte[0], true, Map.of()));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      events.add(new Event(Kind.CLOSED, 0, new byte[0], true, Map.of()));
      ctx.fireChannelInactive();
    }
  }

  /** Client side of the tunnel: message payloads in, SPDY bytes out cut into small messages. */
  private static final class SplittingTunnel extends ChannelDuplexHandler {
    private final int messageSize;

    SplittingTunnel(int messageSize) {
      this.messageSize = messageSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
        ctx.fireChannelRead(((WebSocketFrame) msg).content());
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (!(msg instanceof ByteBuf)) {
        ctx.write(msg, promise);
        return;
      }
      ByteBuf bytes = (ByteBuf) msg;
      try {
        while (bytes.readableBytes() > messageSize) {
          ctx.write(new BinaryWebSocketFrame(bytes.readRetainedSlice(messageSize)));
        }
        ctx.write(new BinaryWebSocketFrame(bytes.readRetainedSlice(bytes.readableBytes())), promise);
      } finally {
        bytes.release();
      }
    }
  }
}
