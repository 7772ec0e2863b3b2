package dev.kgate.sim.cluster;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The simulated API server's request handler ({@code "sim-front"}), one per HTTP/1.1 connection
 * or HTTP/2 stream: records the request, requires the gateway's credential, then answers from
 * the glue (discovery, OpenAPI…), streams (watch, logs, {@code /sim/bytes}), the upgrade seam
 * (exec, attach, port-forward) or the store (everything else, via the fabric8 mock).
 */
final class SimFrontHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(SimFrontHandler.class);
  private static final Set<String> UPGRADE_SUBRESOURCES = Set.of("exec", "attach", "portforward");
  private static final Set<String> STORED_SUBRESOURCES = Set.of("status", "scale");

  private final SimContext sim;
  private final String protocol;
  private final GlueRoutes glue;
  private ResponseStream stream;
  private FullHttpRequest upgradePending;

  SimFrontHandler(SimContext sim, String protocol) {
    this.sim = Objects.requireNonNull(sim, "sim");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.glue = new GlueRoutes(sim);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest)) {
      ctx.fireChannelRead(msg);
      return;
    }
    FullHttpRequest request = (FullHttpRequest) msg;
    boolean owned = true;
    try {
      if (!sim.recordAndAuthenticate(ctx.channel(), request, protocol, request.content().readableBytes())) {
        Responses.json(ctx, true, 401, KubeStatus.unauthorized());
        return;
      }
      SimRequest simRequest = SimRequest.of(request);
      Optional<ResourcePath> path = ResourcePath.parse(simRequest.path());
      if (path.isPresent() && isUpgrade(path.get())) {
        owned = false;
        upgrade(ctx, request, simRequest, path.get());
        return;
      }
      ReferenceCountUtil.release(request);
      owned = false;
      dispatch(ctx, simRequest, path.orElse(null));
    } finally {
      if (owned) {
        ReferenceCountUtil.release(request);
      }
    }
  }

  private void dispatch(ChannelHandlerContext ctx, SimRequest request, ResourcePath path) {
    if (request.path().equals("/sim/bytes") && request.method().equals("GET")) {
      startBytes(ctx, request);
      return;
    }
    Optional<Reply> glued = glue.answer(request);
    if (glued.isPresent()) {
      write(ctx, request, glued.get());
      return;
    }
    if (path == null) {
      Responses.json(ctx, request.keepAlive(), 404, KubeStatus.pathNotFound());
      return;
    }
    boolean get = request.method().equals("GET");
    if (get && (path.legacyWatch() || request.flag("watch") || watchRequestedLoosely(request))) {
      startStream(ctx, new WatchStream(ctx, sim, request, path, () -> stream = null));
      return;
    }
    if (get && "pods".equals(path.resource()) && "log".equals(path.subresource()) && path.group().isEmpty()) {
      startStream(ctx, new LogStream(ctx, sim, request, path, () -> stream = null));
      return;
    }
    String contentType = request.header("Content-Type");
    byte[] body = request.body();
    if (body.length > 0 && ProtobufBodies.isProtobuf(contentType)) {
      Optional<tools.jackson.databind.node.ObjectNode> json = ProtobufBodies.toJson(body);
      if (json.isEmpty()) {
        // The mock only reads JSON (and hangs on anything else): answer at once instead.
        Responses.json(ctx, request.keepAlive(), 415, KubeStatus.failure(415, "UnsupportedMediaType",
            "the simulated cluster cannot read this protobuf body; send JSON"));
        return;
      }
      body = Json.bytes(json.get());
      contentType = Responses.JSON;
    }
    if (path.subresource() != null && !STORED_SUBRESOURCES.contains(path.subresource())) {
      Responses.json(ctx, request.keepAlive(), 404, KubeStatus.pathNotFound());
      return;
    }
    sim.store.execute(request.method(), request.uri(), path, contentType, body,
            request.params().containsKey("dryRun"))
        .whenComplete((response, error) -> ctx.executor().execute(() -> {
          if (error != null) {
            LOG.debug("mock call failed for {} {}", request.method(), request.uri(), error);
            Responses.json(ctx, request.keepAlive(), 500, KubeStatus.internalError("the simulated store failed"));
          } else {
            write(ctx, request, reply(request, path, response));
          }
        }));
  }

  /** Per PROTOCOLS.md §7: an unparsable watch value other than false/0 still counts as a watch. */
  private static boolean watchRequestedLoosely(SimRequest request) {
    String watch = request.param("watch");
    return watch != null && !watch.isEmpty() && !watch.equalsIgnoreCase("false") && !watch.equals("0")
        && !Set.of("f", "F").contains(watch);
  }

  private Reply reply(SimRequest request, ResourcePath path, BackendResponse response) {
    if (response.isSuccess() && request.method().equals("GET")
        && TableConverter.wantsTable(request.header("Accept"))) {
      JsonNode body = Json.parseOrNull(response.body());
      if (body != null && body.isObject()) {
        return Reply.json(response.status(), sim.tables.convert(path.resource(), body, request.param("includeObject")));
      }
    }
    return new Reply(response.status(), Responses.JSON, response.body());
  }

  private void startBytes(ChannelHandlerContext ctx, SimRequest request) {
    long size;
    try {
      size = Long.parseLong(Objects.requireNonNullElse(request.param("size"), ""));
    } catch (NumberFormatException e) {
      size = -1;
    }
    if (size < 0) {
      Responses.json(ctx, request.keepAlive(), 400, KubeStatus.badRequest("size must be a number of bytes"));
      return;
    }
    boolean chunked = !"false".equals(request.param("chunked"));
    startStream(ctx, new BytesStream(ctx, size, chunked, () -> stream = null));
  }

  private void startStream(ChannelHandlerContext ctx, ResponseStream next) {
    if (stream != null) {
      // HTTP/1.1 clients do not pipeline behind a streaming answer; a second request means the
      // client gave up on the first, so stop it rather than interleave two answers.
      stream.channelClosed();
    }
    stream = next;
    next.start();
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, SimRequest simRequest, ResourcePath path) {
    if (!protocol.equals(SimFrontInitializer.HTTP_1_1)) {
      ReferenceCountUtil.release(request);
      Responses.json(ctx, true, 400, KubeStatus.badRequest("exec, attach and port-forward need HTTP/1.1"));
      return;
    }
    upgradePending = request;
    sim.store.get(path.objectPath(), path).whenComplete((r, error) -> ctx.executor().execute(() -> {
      FullHttpRequest pending = upgradePending;
      upgradePending = null;
      if (pending == null) {
        return;
      }
      if (error != null || r.status() != 200) {
        ReferenceCountUtil.release(pending);
        Responses.json(ctx, simRequest.keepAlive(), 404, KubeStatus.notFound("", "pods", path.name()));
      } else {
        sim.upgradeHandler.handle(ctx, pending, path.namespace(), path.name(), path.subresource());
      }
    }));
  }

  private static boolean isUpgrade(ResourcePath path) {
    return path.group().isEmpty() && "pods".equals(path.resource()) && path.namespace() != null
        && path.name() != null && path.subresource() != null && UPGRADE_SUBRESOURCES.contains(path.subresource());
  }

  private static void write(ChannelHandlerContext ctx, SimRequest request, Reply reply) {
    Responses.full(ctx, request.keepAlive(), reply.status(), reply.contentType(), reply.body());
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (stream != null) {
      stream.writabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (stream != null) {
      stream.channelClosed();
      stream = null;
    }
    if (upgradePending != null) {
      ReferenceCountUtil.release(upgradePending);
      upgradePending = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("closing sim front channel {}", ctx.channel(), cause);
    ctx.close();
  }
}
