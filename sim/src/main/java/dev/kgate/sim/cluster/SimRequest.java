package dev.kgate.sim.cluster;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An aggregated request copied out of Netty's reference-counted message, so the async parts of
 * the simulated server can hold on to it after the message was released.
 *
 * @param method HTTP method
 * @param uri path and query as received
 * @param path decoded path without query
 * @param params decoded query parameters
 * @param headers a copy of the request headers
 * @param body request body
 * @param keepAlive whether the HTTP/1.1 connection stays open after the answer
 */
record SimRequest(
    String method,
    String uri,
    String path,
    Map<String, List<String>> params,
    HttpHeaders headers,
    byte[] body,
    boolean keepAlive) {

  private static final Set<String> TRUE = Set.of("1", "t", "T", "true", "TRUE", "True");

  static SimRequest of(FullHttpRequest request) {
    QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
    return new SimRequest(
        request.method().name(),
        request.uri(),
        decoder.path(),
        decoder.parameters(),
        new DefaultHttpHeaders().set(request.headers()),
        ByteBufUtil.getBytes(request.content()),
        HttpUtil.isKeepAlive(request));
  }

  /** The first value of query parameter {@code name}, or null. */
  String param(String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Whether query parameter {@code name} parses as true the way Go's strconv.ParseBool does. */
  boolean flag(String name) {
    String value = param(name);
    return value != null && TRUE.contains(value);
  }

  String header(String name) {
    return headers.get(name);
  }
}
