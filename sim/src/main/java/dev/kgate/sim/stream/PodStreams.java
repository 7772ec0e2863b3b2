package dev.kgate.sim.stream;

import dev.kgate.sim.cluster.UpgradeHandler;
import dev.kgate.sim.stream.container.Container;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * exec, attach and port-forward for the pods of a simulated cluster, over the wire protocols a
 * real API server and kubelet speak: WebSocket ({@code v5}/{@code v4.channel.k8s.io}) and SPDY/3.1
 * for exec and attach, SPDY/3.1 and the WebSocket tunnel for port-forward (PROTOCOLS.md §2–§5).
 * Behind them each pod is a {@link Container}: an in-memory filesystem, shared by all sessions of
 * that pod, and a small command interpreter with {@code sh}, {@code cat}, {@code tar} and friends,
 * enough for {@code kubectl exec}, {@code cp} and an interactive shell. Port 80 of every pod
 * answers HTTP, {@link #CLOSED_PORT} refuses connections, and every other port echoes.
 */
public final class PodStreams implements UpgradeHandler {

  /** The one port on which nothing listens in a simulated pod. */
  public static final int CLOSED_PORT = 1;

  /** How often an attached main process prints a line by default. */
  public static final Duration DEFAULT_ATTACH_TICK = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(PodStreams.class);

  private final Clock clock;
  private final Duration attachTick;
  private final ConcurrentMap<String, Container> containers = new ConcurrentHashMap<>();

  public PodStreams() {
    this(Clock.systemUTC(), DEFAULT_ATTACH_TICK);
  }

  /** {@code attachTick} zero makes attached main processes print nothing by themselves. */
  public PodStreams(Clock clock, Duration attachTick) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.attachTick = Objects.requireNonNull(attachTick, "attachTick");
  }

  /** The simulated container of a pod (created on first use), e.g. to put files in it for a test. */
  public Container container(String namespace, String pod) {
    return containers.computeIfAbsent(namespace + "/" + pod, key -> new Container(namespace, pod, clock));
  }

  @Override
  public void handle(ChannelHandlerContext ctx, FullHttpRequest request, String namespace, String pod,
      String subresource) {
    try {
      switch (subresource) {
        case "exec": {
          StreamRequest options = StreamRequest.parse(request, namespace, pod, subresource);
          Container container = container(namespace, pod);
          RemoteCommandUpgrade.upgrade(ctx, request, options,
              io -> container.exec(options.command(), options.tty(), io));
          break;
        }
        case "attach": {
          StreamRequest options = StreamRequest.parse(request, namespace, pod, subresource);
          Container container = container(namespace, pod);
          RemoteCommandUpgrade.upgrade(ctx, request, options,
              io -> container.attach(options.tty(), io, attachTick));
          break;
        }
        case "portforward":
          PortForwardUpgrade.upgrade(ctx, request, namespace, pod);
          break;
        default:
          HttpAnswers.refuse(ctx, request, HttpResponseStatus.NOT_FOUND,
              "the server could not find the requested resource");
      }
    } catch (RuntimeException e) {
      // The pipeline may be half switched; the only safe answer is to drop the connection.
      LOG.warn("{} upgrade for {}/{} failed", subresource, namespace, pod, e);
      ctx.channel().close();
    } finally {
      ReferenceCountUtil.release(request);
    }
  }
}
