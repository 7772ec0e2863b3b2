package dev.kgate.gateway.metrics;

import dev.kgate.audit.file.FileAuditLog;
import dev.kgate.auth.oidc.IssuerKeyStatus;
import dev.kgate.auth.oidc.OidcAuthenticator;
import dev.kgate.gateway.audit.AuditEvents;
import dev.kgate.gateway.authz.OpenStreams;
import dev.kgate.gateway.forward.ForwardingHandler;
import dev.kgate.gateway.http.Rejected;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import dev.kgate.gateway.status.KubeStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.Channel;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The gateway's Prometheus metrics: every request by cluster, verb, code and decision;
 * authentication failures by reason; upstream latency; open long-running streams; the audit log's
 * queue, commits and failures; whether the IdPs' keys are loaded. Label values come only from
 * bounded sets (configured cluster names, Kubernetes verbs, status codes, enum reasons): a name a
 * client makes up never becomes a label, so nobody can blow up the metric store from outside.
 */
public final class GatewayMetrics implements ForwardingHandler.ExchangeListener, Consumer<Rejected> {

  /** The cluster label of a request for a cluster that is not configured. */
  static final String UNKNOWN_CLUSTER = "unknown";
  /** The cluster label of a request refused before a cluster was chosen. */
  static final String NO_CLUSTER = "none";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Predicate<String> configuredCluster;
  private final Clock clock;

  /** @param configuredCluster whether a name is a configured cluster (it follows reloads) */
  public GatewayMetrics(Predicate<String> configuredCluster, Clock clock) {
    this.configuredCluster = Objects.requireNonNull(configuredCluster, "configuredCluster");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Open long-running streams, by kind. */
  public GatewayMetrics watching(OpenStreams streams) {
    for (String kind : OpenStreams.KINDS) {
      Gauge.builder("kgate.open.streams", streams, s -> s.count(kind))
          .description("Long-running requests open now (watch, logs -f, exec, attach, port-forward)")
          .tag("kind", kind)
          .strongReference(true)
          .register(registry);
    }
    return this;
  }

  /** The audit log's queue, group commits (write + fsync) and failures. */
  public GatewayMetrics watching(FileAuditLog audit) {
    Gauge.builder("kgate.audit.queue.depth", audit, FileAuditLog::queueDepth)
        .description("Audit events waiting for the writer").strongReference(true).register(registry);
    Gauge.builder("kgate.audit.writable", audit, a -> a.writable() ? 1 : 0)
        .description("1 while the audit log takes writes").strongReference(true).register(registry);
    FunctionTimer.builder("kgate.audit.commit", audit, a -> a.stats().commits(),
            a -> a.stats().commitNanos(), TimeUnit.NANOSECONDS)
        .description("Audit group commits: write and fsync of every file a window touched")
        .register(registry);
    FunctionCounter.builder("kgate.audit.failures", audit, a -> a.stats().failures())
        .description("Audit writes, fsyncs and checkpoints that failed").register(registry);
    return this;
  }

  /** Whether every configured issuer's signing keys are loaded, and when each was last fetched. */
  public GatewayMetrics watchingKeys(OidcAuthenticator oidc) {
    Gauge.builder("kgate.oidc.keys.loaded", oidc, o -> o.keysLoaded() ? 1 : 0)
        .description("1 when every configured issuer's signing keys are loaded").strongReference(true)
        .register(registry);
    for (IssuerKeyStatus issuer : oidc.keyStatus()) {
      String name = issuer.issuer();
      Gauge.builder("kgate.oidc.keys.last.fetch", oidc, o -> lastFetch(o, name))
          .description("When the issuer's signing keys were last fetched (Unix seconds; NaN before the first)")
          .tag("issuer", name)
          .baseUnit("seconds")
          .strongReference(true)
          .register(registry);
    }
    return this;
  }

  private static double lastFetch(OidcAuthenticator oidc, String issuer) {
    return oidc.keyStatus().stream().filter(k -> k.issuer().equals(issuer)).findFirst()
        .flatMap(IssuerKeyStatus::lastFetch).map(at -> at.toEpochMilli() / 1000.0).orElse(Double.NaN);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void started(ClusterRequest request, Channel client) {}

  @Override
  public void completed(ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure) {
    String cluster = label(request.cluster());
    String verb = request.authorization() == null ? "unknown" : request.authorization().attributes().verb();
    requests(cluster, verb, status, "allow").increment();
    if (failure != null) {
      Counter.builder("kgate.upstream.failures")
          .description("Forwarded requests the cluster's API server did not answer completely")
          .tag("cluster", cluster).tag("reason", KubeStatus.reason(failure))
          .register(registry).increment();
    }
    if (!request.longRunning()) {
      Timer.builder("kgate.upstream.request.duration")
          .description("From the request's arrival to the end of its relayed response (long-running requests excluded)")
          .tag("cluster", cluster)
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1))
          .maximumExpectedValue(Duration.ofSeconds(60))
          .register(registry)
          .record(Duration.between(request.request().request().receivedAt(), clock.instant()));
    }
  }

  @Override
  public void accept(Rejected rejected) {
    String cluster = rejected.cluster() == null ? NO_CLUSTER : label(rejected.cluster());
    String verb = rejected.attributes() == null ? "unknown" : rejected.attributes().verb();
    Failure failure = rejected.failure();
    requests(cluster, verb, KubeStatus.httpStatus(failure).code(), AuditEvents.decisionOf(failure)).increment();
    if (failure instanceof Failure.Unauthenticated unauthenticated) {
      Counter.builder("kgate.authentication.failures")
          .description("Requests refused because their token was missing or not valid")
          .tag("reason", unauthenticated.reason())
          .register(registry).increment();
    }
  }

  private Counter requests(String cluster, String verb, int code, String decision) {
    return Counter.builder("kgate.requests")
        .description("Requests by cluster, verb, response code and gateway decision")
        .tag("cluster", cluster).tag("verb", verb).tag("code", Integer.toString(code)).tag("decision", decision)
        .register(registry);
  }

  private String label(String cluster) {
    return cluster != null && configuredCluster.test(cluster) ? cluster : UNKNOWN_CLUSTER;
  }
}
