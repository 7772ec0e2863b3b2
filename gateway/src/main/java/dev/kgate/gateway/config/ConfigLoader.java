package dev.kgate.gateway.config;

import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.text.YamlSyntaxErrors;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads the gateway's YAML configuration into a {@link GatewayConfig}. The YAML is read into a tree
 * and walked by hand so that every mistake is found in one run and reported with its key path
 * ({@code clusters[1].credentials.tokenFile: file does not exist: …}); unknown keys are errors
 * (with a "did you mean" when one is close), because a misspelt optional key would otherwise be a
 * silently ignored setting. Relative paths resolve against the configuration file's directory, and
 * the certificates and keys it names are parsed here, so a bad file stops startup with its key
 * path. The full format is documented in {@code docs/configuration.md}.
 */
public final class ConfigLoader {

  public static final String DEFAULT_LISTEN_ADDRESS = "0.0.0.0";
  public static final int DEFAULT_LISTEN_PORT = 8443;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** The API server closes idle connections after 90 s ({@code secure_serving.go}). */
  public static final Duration DEFAULT_UPSTREAM_IDLE_TIMEOUT = Duration.ofSeconds(90);
  public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 8192;
  public static final int DEFAULT_MAX_HEADER_SIZE = 65536;
  public static final int DEFAULT_MAX_HEADER_LIST_SIZE = 65536;
  /** Long enough for a quiet {@code kubectl get -w}, which the API server itself ends after ≤ 1 h. */
  public static final Duration DEFAULT_CLIENT_IDLE_TIMEOUT = Duration.ofHours(1);
  public static final Duration DEFAULT_TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  /** kubectl's discovery alone sends a few dozen requests at once; leave room for that. */
  public static final double DEFAULT_USER_REQUESTS_PER_SECOND = 50;
  public static final int DEFAULT_USER_BURST = 200;
  public static final int DEFAULT_USER_CONCURRENT = 100;
  public static final int DEFAULT_USER_STREAMS = 50;
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  public static final Path DEFAULT_AUDIT_DIR = Path.of("/var/lib/kgate/audit");
  public static final boolean DEFAULT_AUDIT_FAIL_CLOSED = true;
  public static final Duration DEFAULT_AUDIT_FSYNC_INTERVAL = Duration.ofMillis(50);
  public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(90);
  /** Enough for any ordinary object; a list larger than this is left out of its event with a note. */
  public static final int DEFAULT_AUDIT_MAX_BODY_BYTES = 64 * 1024;
  /** Bodies are copied and redacted on the event loop: keep that bounded. */
  public static final int MAX_AUDIT_MAX_BODY_BYTES = 1024 * 1024;
  public static final int DEFAULT_SESSION_MAX_BYTES = 10 * 1024 * 1024;
  public static final int MIN_SESSION_MAX_BYTES = 4096;
  public static final int MAX_SESSION_MAX_BYTES = 1024 * 1024 * 1024;
  public static final String DEFAULT_USERNAME_CLAIM = "sub";
  public static final String DEFAULT_GROUPS_CLAIM = "groups";
  /** A larger skew would keep accepting expired tokens for longer than any clock drift explains. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  private static final List<String> TOP_LEVEL_KEYS =
      List.of("listen", "oidc", "clusters", "limits", "audit", "policy", "admin");
  private static final List<String> LIMIT_KEYS =
      List.of(
          "maxInitialLineLength",
          "maxHeaderSize",
          "maxHeaderListSize",
          "clientIdleTimeout",
          "tlsHandshakeTimeout",
          "perUser",
          "maxConnections");
  private static final List<String> PER_USER_KEYS =
      List.of("requestsPerSecond", "burst", "concurrentRequests", "streams");
  private static final List<String> ADMIN_KEYS = List.of("address", "port");
  public static final String DEFAULT_ADMIN_ADDRESS = "127.0.0.1";
  private static final List<String> AUDIT_KEYS =
      List.of("dir", "failClosed", "fsyncInterval", "retention", "signingKey", "webhook", "sessions", "levels",
          "maxBodyBytes");
  private static final List<String> SESSION_KEYS = List.of("enabled", "maxBytes", "stdin");
  private static final List<String> WEBHOOK_KEYS =
      List.of("url", "ca", "tokenFile", "batchMaxEvents", "batchMaxDelay", "spoolDir", "spoolMaxMegabytes");
  private static final int MAX_HEADER_BYTES = 16 * 1024 * 1024;

  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

  private ConfigLoader() {}

  /** Reads and validates {@code file}; relative paths in it resolve against its directory. */
  public static GatewayConfig load(Path file) throws ConfigException {
    Objects.requireNonNull(file, "file");
    Path absolute = file.toAbsolutePath().normalize();
    String yaml;
    try {
      yaml = Files.readString(absolute, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("", "configuration file does not exist: " + absolute);
    } catch (IOException e) {
      throw new ConfigException("", "cannot read configuration file " + absolute + ": " + e.getMessage());
    }
    return parse(yaml, absolute.getParent());
  }

  /** Validates YAML text; relative paths in it resolve against {@code baseDir}. */
  static GatewayConfig parse(String yaml, Path baseDir) throws ConfigException {
    JsonNode tree = readTree(yaml);
    List<ConfigError> errors = new ArrayList<>();
    ConfigNode root = ConfigNode.root(tree, errors, baseDir.toAbsolutePath().normalize());
    if (root.isAbsent()) {
      throw new ConfigException("", "the configuration is empty");
    }
    if (!root.mapping(TOP_LEVEL_KEYS, true)) {
      throw new ConfigException(errors);
    }
    GatewayConfig.Listen listen = ListenSection.parse(root.get("listen"));
    List<IssuerSettings> issuers = IssuerSection.parse(root.get("oidc"));
    List<GatewayConfig.Cluster> clusters = ClusterSection.parse(root.get("clusters"));
    GatewayConfig.Limits limits = limits(root.get("limits"));
    GatewayConfig.Audit audit = audit(root.get("audit"));
    GatewayConfig.PolicySource policy = PolicySection.parse(root.get("policy"));
    GatewayConfig.Admin admin = admin(root.get("admin"));
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    if (admin != null && admin.port() != 0 && admin.port() == listen.port()
        && admin.address().equals(listen.address())) {
      throw new ConfigException("admin.port", "must differ from listen.port (" + listen.port() + ")");
    }
    return new GatewayConfig(listen, issuers, clusters, limits, audit, policy, admin);
  }

  private static GatewayConfig.Limits limits(ConfigNode node) {
    node.mapping(LIMIT_KEYS, false);
    return new GatewayConfig.Limits(
        node.get("maxInitialLineLength").integer(DEFAULT_MAX_INITIAL_LINE_LENGTH, 256, MAX_HEADER_BYTES),
        node.get("maxHeaderSize").integer(DEFAULT_MAX_HEADER_SIZE, 1024, MAX_HEADER_BYTES),
        node.get("maxHeaderListSize").integer(DEFAULT_MAX_HEADER_LIST_SIZE, 1024, MAX_HEADER_BYTES),
        node.get("clientIdleTimeout")
            .duration(DEFAULT_CLIENT_IDLE_TIMEOUT, Duration.ofSeconds(1), Duration.ofDays(7)),
        node.get("tlsHandshakeTimeout")
            .duration(DEFAULT_TLS_HANDSHAKE_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(5)),
        perUser(node.get("perUser")),
        node.get("maxConnections").integer(DEFAULT_MAX_CONNECTIONS, 1, 1_000_000));
  }

  private static GatewayConfig.PerUser perUser(ConfigNode node) {
    node.mapping(PER_USER_KEYS, false);
    return new GatewayConfig.PerUser(
        node.get("requestsPerSecond").integer((int) DEFAULT_USER_REQUESTS_PER_SECOND, 1, 100_000),
        node.get("burst").integer(DEFAULT_USER_BURST, 1, 1_000_000),
        node.get("concurrentRequests").integer(DEFAULT_USER_CONCURRENT, 1, 100_000),
        node.get("streams").integer(DEFAULT_USER_STREAMS, 1, 100_000));
  }

  private static GatewayConfig.Admin admin(ConfigNode node) {
    if (node.isAbsent()) {
      return null;
    }
    node.mapping(ADMIN_KEYS, false);
    ConfigNode address = node.get("address");
    String host = address.isAbsent() ? DEFAULT_ADMIN_ADDRESS : address.string();
    int port = node.get("port").integer(-1, 0, 65535);
    if (node.get("port").isAbsent()) {
      node.get("port").error("required");
    }
    return new GatewayConfig.Admin(host == null ? DEFAULT_ADMIN_ADDRESS : host, port);
  }

  /** https, or http to a loopback receiver (a log shipper beside the gateway in the same pod). */
  private static URI webhookUrl(ConfigNode node) {
    if (node.isAbsent()) {
      node.error("required");
      return null;
    }
    String text = node.string();
    if (text == null) {
      return null;
    }
    try {
      URI url = new URI(text.trim());
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      boolean loopback = "localhost".equals(url.getHost()) || "127.0.0.1".equals(url.getHost())
          || "[::1]".equals(url.getHost());
      if (url.getHost() == null || !(scheme.equals("https") || (scheme.equals("http") && loopback))) {
        node.error("expected an https URL (http only to localhost), was '" + text + "'");
        return null;
      }
      if (url.getRawUserInfo() != null) {
        node.error("put credentials in tokenFile, not in the URL");
        return null;
      }
      return url;
    } catch (URISyntaxException e) {
      node.error("not a valid URL: " + e.getReason());
      return null;
    }
  }

  private static GatewayConfig.Audit audit(ConfigNode node) {
    node.mapping(AUDIT_KEYS, false);
    ConfigNode dirNode = node.get("dir");
    Path dir = dirNode.isAbsent() ? DEFAULT_AUDIT_DIR : dirNode.resolvedPath();
    boolean failClosed = node.get("failClosed").bool(DEFAULT_AUDIT_FAIL_CLOSED);
    // Longer than a second and a crash loses more than anyone would accept from an audit log.
    Duration fsyncInterval = node.get("fsyncInterval")
        .duration(DEFAULT_AUDIT_FSYNC_INTERVAL, Duration.ofMillis(1), Duration.ofSeconds(1));
    Duration retention = node.get("retention")
        .duration(DEFAULT_AUDIT_RETENTION, Duration.ofDays(1), Duration.ofDays(3660));
    ConfigNode keyNode = node.get("signingKey");
    Path signingKey = keyNode.isAbsent() ? null : keyNode.file();
    GatewayConfig.Webhook webhook = webhook(node.get("webhook"), dir);
    List<GatewayConfig.LevelRule> levels = AuditLevelsSection.parse(node.get("levels"));
    int maxBodyBytes = node.get("maxBodyBytes")
        .integer(DEFAULT_AUDIT_MAX_BODY_BYTES, 1024, MAX_AUDIT_MAX_BODY_BYTES);
    return new GatewayConfig.Audit(dir, failClosed, fsyncInterval, retention, signingKey, webhook,
        sessions(node.get("sessions")), levels, maxBodyBytes);
  }

  private static GatewayConfig.Sessions sessions(ConfigNode node) {
    if (node.isAbsent()) {
      return GatewayConfig.Sessions.DEFAULTS;
    }
    node.mapping(SESSION_KEYS, false);
    return new GatewayConfig.Sessions(
        node.get("enabled").bool(true),
        node.get("maxBytes").integer(DEFAULT_SESSION_MAX_BYTES, MIN_SESSION_MAX_BYTES, MAX_SESSION_MAX_BYTES),
        node.get("stdin").bool(true));
  }

  private static GatewayConfig.Webhook webhook(ConfigNode node, Path auditDir) {
    if (node.isAbsent()) {
      return null;
    }
    node.mapping(WEBHOOK_KEYS, false);
    URI url = webhookUrl(node.get("url"));
    ConfigNode ca = node.get("ca");
    ConfigNode token = node.get("tokenFile");
    ConfigNode spool = node.get("spoolDir");
    Path spoolDir = spool.isAbsent() || auditDir == null ? (auditDir == null ? null : auditDir.resolve("webhook-spool"))
        : spool.resolvedPath();
    int batch = node.get("batchMaxEvents").integer(500, 1, 100_000);
    Duration delay = node.get("batchMaxDelay").duration(Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(1));
    long spoolBytes = node.get("spoolMaxMegabytes").integer(1024, 1, 1_048_576) * 1024L * 1024L;
    if (url == null || spoolDir == null) {
      return null;
    }
    return new GatewayConfig.Webhook(url, ca.isAbsent() ? null : ca.file(), token.isAbsent() ? null : token.file(),
        batch, delay, spoolDir, spoolBytes);
  }

  private static JsonNode readTree(String yaml) throws ConfigException {
    try {
      return YAML.readTree(yaml);
    } catch (JacksonException e) {
      throw new ConfigException("", YamlSyntaxErrors.describe(e, "the configuration"));
    }
  }
}
