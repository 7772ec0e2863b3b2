package dev.kgate.gateway.forward;

import dev.kgate.auth.Identity;
import dev.kgate.gateway.authz.Authorization;
import dev.kgate.gateway.http.InboundRequest;
import dev.kgate.gateway.http.Responses;
import dev.kgate.gateway.impersonate.ImpersonationHeaders;
import dev.kgate.gateway.impersonate.UntrustedHeaders;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.upstream.UpstreamTarget;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Objects;

/**
 * Turns the client's request head into the one the API server receives: the client's credentials
 * and identity claims removed, the gateway's own credential and the impersonated identity added,
 * the cluster prefix replaced by the cluster's base path.
 */
final class UpstreamRequests {

  static final String FORWARDED_FOR = "X-Forwarded-For";

  private UpstreamRequests() {}

  static HttpRequest head(ClusterRequest request, boolean upstreamHttp2) {
    InboundRequest inbound = request.request().request();
    Identity identity = request.request().identity();
    UpstreamTarget target = request.target();
    HttpHeaders headers = inbound.head().headers();
    boolean chunkedBody = HttpUtil.isTransferEncodingChunked(inbound.head());

    UntrustedHeaders.stripRequest(headers, inbound.upgrade());
    target.credential().applyTo(headers);
    // Fails closed: a request that skipped the authorization stage is never forwarded.
    Authorization authorization = Objects.requireNonNull(request.authorization(), "not authorized");
    ImpersonationHeaders.apply(identity, authorization.groups(), headers);
    headers.set(HttpHeaderNames.HOST, target.authority());
    // The API server puts X-Forwarded-For first in its audit event's sourceIPs.
    headers.set(FORWARDED_FOR, inbound.clientAddress());
    headers.set(Responses.AUDIT_ID, inbound.auditId());

    if (!upstreamHttp2 && !inbound.upgrade()) {
      // Framing is per hop: a body of unknown length from an HTTP/2 client, or a chunked one from
      // an HTTP/1.1 client, goes chunked to an HTTP/1.1 server.
      boolean lengthKnown = HttpUtil.isContentLengthSet(inbound.head());
      if (!lengthKnown && (chunkedBody || (inbound.http2() && inbound.bodyExpected()))) {
        HttpUtil.setTransferEncodingChunked(inbound.head(), true);
      }
    }
    String uri = target.basePath() + request.upstreamUri();
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, inbound.head().method(), uri, headers);
  }
}
