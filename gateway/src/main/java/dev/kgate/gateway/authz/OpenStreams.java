package dev.kgate.gateway.authz;

import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.auth.policy.Decision;
import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.PolicyEngine;
import dev.kgate.auth.policy.Subject;
import dev.kgate.gateway.forward.ForwardingHandler;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import io.netty.channel.Channel;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running streams in flight (watches, {@code logs -f}, exec, attach, port-forward), so
 * that a new policy can take back what the old one granted: after every reload each stream is
 * decided again under the new policy, and one that would no longer be allowed, or would be sent
 * with fewer groups, is closed. A client that re-opens it is then decided like any new request.
 *
 * <p>The re-decision judges the login as it was when the stream opened (a clock fixed at that
 * moment): a stream is ended by a change of rights, never by the mere passing of an MFA max-age.
 */
public final class OpenStreams implements ForwardingHandler.ExchangeListener {

  private static final Logger log = LoggerFactory.getLogger(OpenStreams.class);

  private record Stream(ClusterRequest request, Channel client, Instant openedAt) {}

  private final Clock clock;
  private final Map<String, Stream> open = new ConcurrentHashMap<>();

  public OpenStreams(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void started(ClusterRequest request, Channel client) {
    if (!request.longRunning() || request.authorization() == null) {
      return;
    }
    String id = request.request().request().auditId();
    open.put(id, new Stream(request, client, clock.instant()));
    // An HTTP/1.1 connection outlives its exchanges: completed() is what normally removes the entry.
    client.closeFuture().addListener(f -> open.remove(id));
  }

  @Override
  public void completed(ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure) {
    open.remove(request.request().request().auditId());
  }

  /** The client channels of the open long-running streams (a snapshot), for a graceful shutdown. */
  public List<Channel> channels() {
    return open.values().stream().map(Stream::client).toList();
  }

  /** How many long-running streams are open. */
  public int size() {
    return open.size();
  }

  /**
   * How many open streams are of {@code kind}: {@code exec}, {@code attach}, {@code portforward}
   * (the subresource of an upgrade), {@code watch}, or {@code logs} (a followed log).
   */
  public long count(String kind) {
    return open.values().stream().filter(s -> kindOf(s.request()).equals(kind)).count();
  }

  /** The kinds {@link #count} knows. */
  public static final List<String> KINDS = List.of("watch", "logs", "exec", "attach", "portforward");

  private static String kindOf(ClusterRequest request) {
    RequestAttributes attributes = request.authorization().attributes();
    if (attributes instanceof RequestAttributes.Resource resource
        && request.request().request().upgrade()) {
      return resource.subresource();
    }
    return "watch".equals(attributes.verb()) ? "watch" : "logs";
  }

  /** Closes every open stream that {@code policy} no longer allows as it was opened; returns how many. */
  public int revokeUnder(Policy policy) {
    int closed = 0;
    for (Stream stream : open.values()) {
      ClusterRequest request = stream.request();
      PolicyEngine asOpened = new PolicyEngine(policy, Clock.fixed(stream.openedAt(), ZoneOffset.UTC));
      Decision decision = asOpened.decide(
          Subject.of(request.request().identity()), request.cluster(), request.authorization().attributes());
      boolean keeps = decision instanceof Decision.Allowed allowed
          && allowed.impersonatedGroups().containsAll(request.authorization().groups());
      if (!keeps) {
        closed++;
        log.info("closing {} {} of {} on {} ({}): the new policy no longer allows it",
            request.authorization().attributes().verb(), request.upstreamUri(),
            request.request().identity().username(), request.cluster(), request.request().request().auditId());
        open.remove(request.request().request().auditId());
        stream.client().close();
      }
    }
    return closed;
  }
}
