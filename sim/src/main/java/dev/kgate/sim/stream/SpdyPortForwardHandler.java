package dev.kgate.sim.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * port-forward over SPDY/3.1 ({@code portforward.k8s.io}), directly or tunnelled in WebSocket.
 * For each local connection kubectl opens an {@code error} and a {@code data} stream carrying the
 * same {@code requestid} and the remote {@code port}; once both exist the pod's listener on that
 * port gets the data stream's bytes. When the pod side closes, both streams get FIN; a refused
 * port gets its error text on the error stream, as the kubelet writes it.
 */
final class SpdyPortForwardHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(SpdyPortForwardHandler.class);

  private final String namespace;
  private final String pod;
  private final Map<String, Forward> byRequest = new HashMap<>();
  private final Map<Integer, Forward> byStream = new HashMap<>();
  private ChannelHandlerContext ctx;

  SpdyPortForwardHandler(String namespace, String pod) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.pod = Objects.requireNonNull(pod, "pod");
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (SpdyStreams.answerPing(ctx, msg)) {
        return;
      }
      if (msg instanceof SpdySynStreamFrame) {
        streamOpened((SpdySynStreamFrame) msg);
      } else if (msg instanceof SpdyDataFrame) {
        SpdyDataFrame frame = (SpdyDataFrame) msg;
        Forward forward = byStream.get(frame.streamId());
        if (forward != null) {
          forward.data(frame.streamId(), frame.content(), frame.isLast());
        }
      } else if (msg instanceof SpdyRstStreamFrame) {
        Forward forward = byStream.get(((SpdyRstStreamFrame) msg).streamId());
        if (forward != null) {
          forward.abort();
        }
      } else if (msg instanceof SpdyGoAwayFrame) {
        ctx.close();
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void streamOpened(SpdySynStreamFrame frame) {
    int streamId = frame.streamId();
    String type = frame.headers().getAsString(SpdyStreams.STREAM_TYPE);
    String portText = frame.headers().getAsString("port");
    int port = PodPorts.parsePort(portText);
    if (port < 0 || !("error".equals(type) || "data".equals(type))) {
      // The kubelet rejects a stream without a valid port or type by resetting it.
      LOG.debug("refusing port-forward stream {} (type {}, port {})", streamId, type, portText);
      SpdyStreams.reset(ctx, streamId);
      return;
    }
    String requestId = frame.headers().getAsString("requestid");
    if (requestId == null) {
      // Clients before requestid derived the pair from stream ids: error N, data N+2.
      requestId = Integer.toString(type.equals("data") ? streamId - 2 : streamId);
    }
    Forward forward = byRequest.computeIfAbsent(requestId, id -> new Forward(id, port));
    if (!forward.attach(type, streamId)) {
      SpdyStreams.reset(ctx, streamId);
      return;
    }
    SpdyStreams.reply(ctx, streamId, type);
    byStream.put(streamId, forward);
    if (frame.isLast()) {
      forward.data(streamId, Unpooled.EMPTY_BUFFER, true);
    }
    forward.startIfComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // Read from the client only while it reads what the pod sends back (echo traffic).
    ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    new ArrayList<>(byRequest.values()).forEach(Forward::abort);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("port-forward session for {}/{} failed", namespace, pod, cause);
    ctx.close();
  }

  /** One forwarded connection: its two streams and the pod's end. */
  private final class Forward implements PodConnection.Peer {
    private final String requestId;
    private final int port;
    private final Deque<ByteBuf> early = new ArrayDeque<>();
    private int errorStream = -1;
    private int dataStream = -1;
    private PodConnection connection;
    private boolean clientClosed;
    private boolean closed;

    Forward(String requestId, int port) {
      this.requestId = requestId;
      this.port = port;
    }

    boolean attach(String type, int streamId) {
      if (type.equals("error") && errorStream < 0) {
        errorStream = streamId;
        return true;
      }
      if (type.equals("data") && dataStream < 0) {
        dataStream = streamId;
        return true;
      }
      return false;
    }

    void startIfComplete() {
      if (connection != null || closed || errorStream < 0 || dataStream < 0) {
        return;
      }
      connection = PodPorts.connect(port, this, namespace, pod).orElse(null);
      if (connection == null) {
        sendError(PodPorts.refusedMessage(port, namespace, pod));
        close();
        return;
      }
      for (ByteBuf data; (data = early.poll()) != null; ) {
        connection.received(data);
      }
      if (clientClosed) {
        connection.peerClosed();
      }
    }

    void data(int streamId, ByteBuf content, boolean last) {
      if (streamId != dataStream || closed) {
        return;
      }
      if (content.isReadable()) {
        if (connection == null) {
          early.add(content.retain());
        } else {
          connection.received(content.retain());
        }
      }
      if (last && !clientClosed) {
        clientClosed = true;
        if (connection != null) {
          connection.peerClosed();
        }
      }
    }

    @Override
    public ByteBufAllocator alloc() {
      return ctx.alloc();
    }

    @Override
    public void send(ByteBuf data) {
      if (closed || !ctx.channel().isActive()) {
        data.release();
        return;
      }
      ctx.writeAndFlush(new DefaultSpdyDataFrame(dataStream, data));
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      releaseEarly();
      fin(dataStream);
      fin(errorStream);
      ctx.flush();
      forget();
    }

    void abort() {
      if (connection != null) {
        connection.abort();
      }
      closed = true;
      releaseEarly();
      forget();
    }

    private void sendError(String message) {
      ctx.write(new DefaultSpdyDataFrame(errorStream, ByteBufUtil.writeUtf8(ctx.alloc(), message)));
    }

    private void fin(int streamId) {
      if (streamId >= 0 && ctx.channel().isActive()) {
        DefaultSpdyDataFrame frame = new DefaultSpdyDataFrame(streamId);
        frame.setLast(true);
        ctx.write(frame);
      }
    }

    private void forget() {
      byRequest.remove(requestId, this);
      byStream.remove(errorStream, this);
      byStream.remove(dataStream, this);
    }

    private void releaseEarly() {
      for (ByteBuf data; (data = early.poll()) != null; ) {
        data.release();
      }
    }
  }
}
