package dev.kgate.gateway.http;

import dev.kgate.gateway.status.Failure;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every {@link Rejected} request with its {@code Status}, in one place, and discards what
 * is left of that request's body. A rejected HTTP/1.1 request without a body keeps its connection
 * (kubectl reuses it); one with a body in flight gets {@code Connection: close}. Every refusal is
 * handed to {@code onRejected} first, so none goes unaudited, and answered only once the stage it
 * returns completes (the audit event is durable, or known lost): no client holds a refusal whose
 * record a crash could still take away.
 */
public final class RejectionHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RejectionHandler.class);

  /** How long a dropped HTTP/2 connection stays open after its GOAWAY. */
  static final long DROP_GRACE_MILLIS = 2_000;

  private final Function<Rejected, ? extends CompletionStage<?>> onRejected;
  private boolean discarding;

  /**
   * @param onRejected told of every refusal before it is answered (the audit recorder); the
   *                   answer waits for the stage it returns, whatever its outcome
   */
  public RejectionHandler(Function<Rejected, ? extends CompletionStage<?>> onRejected) {
    this.onRejected = Objects.requireNonNull(onRejected, "onRejected");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Rejected rejected) {
      InboundRequest request = rejected.request();
      log.debug("rejected {} {} from {} ({}): {}", request.head().method(), request.route(),
          request.clientAddress(), request.auditId(), rejected.failure().detail());
      CompletionStage<?> recorded = onRejected.apply(rejected);
      discarding = request.bodyExpected();
      recorded.whenComplete((outcome, error) -> {
        try {
          ctx.executor().execute(() -> answer(ctx, rejected));
        } catch (RejectedExecutionException e) {
          ctx.channel().close(); // the event loop is shutting down
        }
      });
      return;
    }
    if (msg instanceof HttpContent content && discarding) {
      discarding = !(content instanceof LastHttpContent);
      content.release();
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private static void answer(ChannelHandlerContext ctx, Rejected rejected) {
    InboundRequest request = rejected.request();
    boolean keepReading = !request.bodyExpected() && !request.http2() && !request.upgrade();
    boolean dropConnection = rejected.failure() instanceof Failure.TooManyRequests tooMany && tooMany.dropConnection();
    // Dropping: HTTP/1.1 answers with Connection: close and closes once the answer is written.
    Responses.fail(ctx, request, rejected.failure(), !request.bodyExpected() && !dropConnection).addListener(f -> {
      if (dropConnection && request.http2()) {
        goAway(ctx.channel().parent());
      } else if (f.isSuccess() && keepReading && !dropConnection) {
        ctx.read();
      }
    });
  }

  /**
   * Tells an HTTP/2 client to take its next requests to a new connection, and closes this one a
   * little later: closing at once would reset the connection with the client's last frames unread,
   * and a reset can destroy the answer before the client reads it.
   */
  private static void goAway(Channel connection) {
    connection.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
    connection.eventLoop().schedule(() -> {
      connection.close();
    }, DROP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
  }
}
