package dev.kgate.sim.cluster;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the front's per-channel handlers share within one simulated cluster: the store, the
 * watch hub, the prebuilt documents, the credential check and the request log.
 */
final class SimContext {

  final String clusterName;
  final ClusterStore store;
  final WatchHub hub;
  final ApiCatalog catalog;
  final DiscoveryDocuments discovery;
  final OpenApiDocuments openApi;
  final TableConverter tables;
  final GatewayCredentials credentials;
  final RequestLog requestLog;
  final UpgradeHandler upgradeHandler;
  final Clock clock;
  final Duration logInterval;
  final Duration bookmarkInterval;
  private volatile String serverAddress = "127.0.0.1:0";

  SimContext(
      String clusterName,
      ClusterStore store,
      WatchHub hub,
      ApiCatalog catalog,
      GatewayCredentials credentials,
      RequestLog requestLog,
      UpgradeHandler upgradeHandler,
      Clock clock,
      Duration logInterval,
      Duration bookmarkInterval) {
    this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
    this.store = Objects.requireNonNull(store, "store");
    this.hub = Objects.requireNonNull(hub, "hub");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.discovery = new DiscoveryDocuments(catalog);
    this.openApi = new OpenApiDocuments(catalog);
    this.tables = new TableConverter(clock);
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.requestLog = Objects.requireNonNull(requestLog, "requestLog");
    this.upgradeHandler = Objects.requireNonNull(upgradeHandler, "upgradeHandler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.logInterval = Objects.requireNonNull(logInterval, "logInterval");
    this.bookmarkInterval = Objects.requireNonNull(bookmarkInterval, "bookmarkInterval");
  }

  String serverAddress() {
    return serverAddress;
  }

  void serverAddress(String hostPort) {
    this.serverAddress = hostPort;
  }

  /** Records the request, then answers whether it carries the gateway's credential. */
  boolean recordAndAuthenticate(Channel channel, HttpRequest request, String protocol, long bodySize) {
    requestLog.add(new RecordedRequest(
        request.method().name(), request.uri(), protocol, headerLines(request.headers()), bodySize));
    return credentials.accepts(channel, request.headers());
  }

  private static List<RecordedRequest.HeaderLine> headerLines(HttpHeaders headers) {
    List<RecordedRequest.HeaderLine> lines = new ArrayList<>();
    for (Map.Entry<String, String> header : headers) {
      lines.add(new RecordedRequest.HeaderLine(header.getKey(), header.getValue()));
    }
    return lines;
  }
}
