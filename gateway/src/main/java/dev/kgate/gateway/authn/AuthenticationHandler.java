package dev.kgate.gateway.authn;

import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.Authenticator;
import dev.kgate.gateway.http.InboundRequest;
import dev.kgate.gateway.http.Rejected;
import dev.kgate.gateway.route.Route;
import dev.kgate.gateway.status.Failure;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Verifies the bearer token of every request before anything else about it is decided. The
 * verification runs on the authenticator's own threads (signature checks and key fetches must
 * never stall an event loop); its result comes back to this channel's event loop. Body chunks that
 * arrive meanwhile are held in order (the channel reads nothing more until a later stage asks) and
 * released if the channel closes.
 */
public final class AuthenticationHandler extends ChannelInboundHandlerAdapter {

  private final Authenticator authenticator;
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private boolean pending;

  public AuthenticationHandler(Authenticator authenticator) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (pending) {
      held.add(msg);
      return;
    }
    if (!(msg instanceof InboundRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (request.route() instanceof Route.GatewayInfo info && info.endpoint() == Route.Endpoint.WELL_KNOWN) {
      // How to log in is public: kgate login reads it before the person has a token.
      ctx.fireChannelRead(request);
      return;
    }
    pending = true;
    String token = BearerToken.from(request.head().headers());
    authenticator.authenticate(token).whenComplete((result, error) -> {
      if (ctx.executor().inEventLoop()) {
        decided(ctx, request, result, error); // a cache hit completes at once: no thread hop
      } else {
        ctx.executor().execute(() -> decided(ctx, request, result, error));
      }
    });
  }

  private void decided(ChannelHandlerContext ctx, InboundRequest request, AuthResult result, Throwable error) {
    pending = false;
    if (ctx.isRemoved() || !ctx.channel().isActive()) {
      releaseHeld();
      return;
    }
    if (result instanceof AuthResult.Authenticated ok) {
      ctx.fireChannelRead(new AuthenticatedRequest(request, ok.identity()));
    } else {
      Failure failure = result instanceof AuthFailure f
          ? new Failure.Unauthenticated(f.userMessage(), f.reason() + ": " + f.detail(), f.reason().name())
          : new Failure.Unauthenticated(
              "kgate could not verify your token; try again, or run \"kgate login\"",
              "authenticator failed: " + error, "AUTHENTICATOR_ERROR");
      ctx.fireChannelRead(new Rejected(request, failure));
    }
    // Replay what arrived while we waited. A new request head among it (HTTP/1.1 pipelining) goes
    // through this handler again, in order.
    while (!held.isEmpty() && !pending) {
      channelRead(ctx, held.poll());
    }
  }

  private void releaseHeld() {
    for (Object msg; (msg = held.poll()) != null; ) {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!pending) {
      releaseHeld();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHeld();
  }
}
