package dev.kgate.gateway.config;

import dev.kgate.audit.Level;
import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.policy.Policy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The whole gateway configuration, validated. Built only by {@link ConfigLoader}; every instance is
 * complete and consistent, so the rest of the gateway never re-checks it. {@code policy} is null
 * when no policy file is configured: the gateway then impersonates each person with their own
 * groups and leaves every decision to the clusters' RBAC.
 */
public record GatewayConfig(
    Listen listen,
    List<IssuerSettings> issuers,
    List<Cluster> clusters,
    Limits limits,
    Audit audit,
    PolicySource policy,
    Admin admin) {

  /** A configuration without an admin listener. */
  public GatewayConfig(Listen listen, List<IssuerSettings> issuers, List<Cluster> clusters, Limits limits,
      Audit audit, PolicySource policy) {
    this(listen, issuers, clusters, limits, audit, policy, null);
  }

  public GatewayConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(audit, "audit");
    issuers = List.copyOf(issuers);
    clusters = List.copyOf(clusters);
  }

  /**
   * The admin listener ({@code /healthz}, {@code /readyz}, {@code /metrics}): plain HTTP, loopback
   * unless configured otherwise. Null when {@code admin:} is absent (no admin listener).
   */
  public record Admin(String address, int port) {
    public Admin {
      Objects.requireNonNull(address, "address");
    }
  }

  /** The TLS listener kubectl connects to. */
  public record Listen(String address, int port, Tls tls) {}

  /**
   * The listener's certificate and key, and whether kubectl must present a client certificate.
   *
   * @param cert       PEM certificate chain, leaf first
   * @param key        PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)
   * @param clientCa   CA bundle for client-certificate verification, or null
   * @param clientAuth whether a client certificate is asked for; never null
   */
  public record Tls(Path cert, Path key, Path clientCa, ClientAuth clientAuth) {
    public Tls {
      Objects.requireNonNull(cert, "cert");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(clientAuth, "clientAuth");
    }

    /** A listener that asks for a client certificate (optional) exactly when a client CA is given. */
    public Tls(Path cert, Path key, Path clientCa) {
      this(cert, key, clientCa, clientCa == null ? ClientAuth.NONE : ClientAuth.OPTIONAL);
    }
  }

  /** Client-certificate policy of the listener ({@code listen.tls.clientAuth}). */
  public enum ClientAuth {
    /** No client certificate is requested. */
    NONE,
    /** A certificate is requested and verified against {@code clientCa} when sent. */
    OPTIONAL,
    /** The handshake fails without a certificate signed by {@code clientCa}. */
    REQUIRE
  }

  /**
   * One upstream API server.
   *
   * @param server         https URL of the API server (may carry a base path); null only with
   *                       kubeconfig or in-cluster credentials, which bring their own
   * @param ca             CA bundle (PEM) that signs the API server's certificate; null only with
   *                       kubeconfig or in-cluster credentials, which bring their own CA
   * @param tlsServerName  name to verify the server certificate against, or null for the URL's host
   */
  public record Cluster(
      String name,
      URI server,
      Path ca,
      String tlsServerName,
      Credentials credentials,
      Duration connectTimeout,
      Duration idleTimeout) {}

  /** How the gateway authenticates itself to an API server. */
  public sealed interface Credentials {
    /** A bearer token read from a file and re-read when the file changes (projected SA tokens rotate). */
    record TokenFile(Path path) implements Credentials {}

    /** A client certificate and key (PEM). */
    record ClientCertificate(Path cert, Path key) implements Credentials {}

    /** A kubeconfig file and context, parsed with fabric8's config loader. */
    record Kubeconfig(Path path, String context) implements Credentials {}

    /** The pod's ServiceAccount, when kgate runs inside the cluster. */
    record InCluster() implements Credentials {}
  }

  /**
   * Edge limits and fair-use limits. Defaults are the named constants in {@link ConfigLoader}.
   *
   * @param perUser        what one person may use at once and over time
   * @param maxConnections client connections the listener serves at once; more are answered 429
   */
  public record Limits(
      int maxInitialLineLength,
      int maxHeaderSize,
      int maxHeaderListSize,
      Duration clientIdleTimeout,
      Duration tlsHandshakeTimeout,
      PerUser perUser,
      int maxConnections) {

    public Limits {
      Objects.requireNonNull(perUser, "perUser");
    }

    /** Edge limits with the default per-person limits and connection limit. */
    public Limits(int maxInitialLineLength, int maxHeaderSize, int maxHeaderListSize,
        Duration clientIdleTimeout, Duration tlsHandshakeTimeout) {
      this(maxInitialLineLength, maxHeaderSize, maxHeaderListSize, clientIdleTimeout, tlsHandshakeTimeout,
          PerUser.DEFAULTS, ConfigLoader.DEFAULT_MAX_CONNECTIONS);
    }
  }

  /**
   * Per-person limits, counted by the authenticated user name. A request over any of them gets
   * 429 with {@code Retry-After}, which client-go waits for and retries by itself.
   *
   * @param requestsPerSecond token-bucket refill rate
   * @param burst             token-bucket size: requests allowed at once after a quiet spell
   * @param concurrent        requests in flight at once (long-running ones included)
   * @param streams           long-running requests (watch, logs -f, exec, attach, port-forward) open at once
   */
  public record PerUser(double requestsPerSecond, int burst, int concurrent, int streams) {
    public static final PerUser DEFAULTS = new PerUser(
        ConfigLoader.DEFAULT_USER_REQUESTS_PER_SECOND, ConfigLoader.DEFAULT_USER_BURST,
        ConfigLoader.DEFAULT_USER_CONCURRENT, ConfigLoader.DEFAULT_USER_STREAMS);
  }

  /**
   * The audit log.
   *
   * @param dir           directory of the per-user logs
   * @param failClosed    refuse requests (503) while the log cannot be written
   * @param fsyncInterval how long the writer gathers events before one fsync
   * @param retention     how long files are kept
   * @param signingKey    PKCS#8 PEM key (Ed25519 or ECDSA P-256) that signs checkpoints, or null
   *                      for a key generated inside {@code dir}
   * @param sessions      how exec and attach sessions are recorded
   * @param levels        {@code audit.levels}: which requests are recorded with their bodies; the
   *                      first matching rule wins, {@code Metadata} when none matches
   * @param maxBodyBytes  the largest body an event holds; a larger one is left out with a note
   */
  public record Audit(Path dir, boolean failClosed, Duration fsyncInterval, Duration retention, Path signingKey,
      Webhook webhook, Sessions sessions, List<LevelRule> levels, int maxBodyBytes) {
    public Audit {
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(fsyncInterval, "fsyncInterval");
      Objects.requireNonNull(retention, "retention");
      Objects.requireNonNull(sessions, "sessions");
      levels = List.copyOf(levels);
    }

    /** An audit log that records every request at {@code Metadata}. */
    public Audit(Path dir, boolean failClosed, Duration fsyncInterval, Duration retention, Path signingKey,
        Webhook webhook, Sessions sessions) {
      this(dir, failClosed, fsyncInterval, retention, signingKey, webhook, sessions, List.of(),
          ConfigLoader.DEFAULT_AUDIT_MAX_BODY_BYTES);
    }

    /** An audit log with the default session recording. */
    public Audit(Path dir, boolean failClosed, Duration fsyncInterval, Duration retention, Path signingKey,
        Webhook webhook) {
      this(dir, failClosed, fsyncInterval, retention, signingKey, webhook, Sessions.DEFAULTS);
    }

    /** An audit log without a webhook sink, with the default session recording. */
    public Audit(Path dir, boolean failClosed, Duration fsyncInterval, Duration retention, Path signingKey) {
      this(dir, failClosed, fsyncInterval, retention, signingKey, null);
    }

    /** This audit log, recording sessions as {@code sessions} says. */
    public Audit withSessions(Sessions sessions) {
      return new Audit(dir, failClosed, fsyncInterval, retention, signingKey, webhook, sessions, levels, maxBodyBytes);
    }

    /** This audit log, with these level rules. */
    public Audit withLevels(List<LevelRule> levels) {
      return new Audit(dir, failClosed, fsyncInterval, retention, signingKey, webhook, sessions, levels, maxBodyBytes);
    }
  }

  /**
   * One rule of {@code audit.levels}, in the access policy's vocabulary. A request matches when it
   * matches every list that is not empty; an empty list matches anything. {@code level} is never
   * {@link Level#None}: every request is audited.
   *
   * @param clusters   cluster names or globs ({@code prod-*})
   * @param verbs      Kubernetes verbs ({@code create}, {@code delete}, …) or {@code *}
   * @param apiGroups  API groups ({@code ""} for core) or {@code *}; empty for any group
   * @param resources  {@code configmaps}, {@code pods/exec}, {@code *}{@code /scale} or {@code *};
   *                   only resource requests match a rule that names resources
   * @param namespaces namespace names or globs; {@code *} also matches cluster-wide requests
   * @param users      user names (as mapped) or globs
   * @param groups     groups (as mapped from the IdP) or globs; any one of the person's matches
   */
  public record LevelRule(Level level, List<String> clusters, List<String> verbs, List<String> apiGroups,
      List<String> resources, List<String> namespaces, List<String> users, List<String> groups) {
    public LevelRule {
      Objects.requireNonNull(level, "level");
      if (level == Level.None) {
        throw new IllegalArgumentException("every request is audited; the lowest level is Metadata");
      }
      clusters = List.copyOf(clusters);
      verbs = List.copyOf(verbs);
      apiGroups = List.copyOf(apiGroups);
      resources = List.copyOf(resources);
      namespaces = List.copyOf(namespaces);
      users = List.copyOf(users);
      groups = List.copyOf(groups);
    }
  }

  /**
   * {@code audit.sessions}: exec and attach sessions recorded as asciicast v2 files under
   * {@code <audit.dir>/sessions/}.
   *
   * @param enabled  whether sessions are recorded
   * @param maxBytes the most one recording may hold; a final marker says where it stopped
   * @param stdin    whether what the client sends (stdin) is recorded as well as the output
   */
  public record Sessions(boolean enabled, int maxBytes, boolean stdin) {
    public static final Sessions DEFAULTS = new Sessions(true, ConfigLoader.DEFAULT_SESSION_MAX_BYTES, true);
    public static final Sessions OFF = new Sessions(false, ConfigLoader.DEFAULT_SESSION_MAX_BYTES, true);
  }

  /**
   * {@code audit.webhook}: every event the audit log writes is also POSTed, in batches of
   * {@code audit.k8s.io/v1} {@code EventList}, to {@code url}, spooled on disk while it is down.
   *
   * @param ca        CA bundle (PEM) the receiver's certificate must chain to, or null for the JDK's
   * @param tokenFile bearer token sent to the receiver, re-read on each send, or null
   * @param spoolDir  where batches wait until delivered
   */
  public record Webhook(URI url, Path ca, Path tokenFile, int batchMaxEvents, Duration batchMaxDelay, Path spoolDir,
      long spoolMaxBytes) {
    public Webhook {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(batchMaxDelay, "batchMaxDelay");
      Objects.requireNonNull(spoolDir, "spoolDir");
    }
  }

  /**
   * The access policy ({@code policy: FILE}), already loaded and checked.
   *
   * @param file   where it was read from, watched for changes
   * @param policy the policy as read at start
   */
  public record PolicySource(Path file, Policy policy) {
    public PolicySource {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(policy, "policy");
    }
  }
}
