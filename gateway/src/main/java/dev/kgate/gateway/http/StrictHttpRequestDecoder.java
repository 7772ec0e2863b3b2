package dev.kgate.gateway.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * An HTTP/1.1 request decoder that refuses ambiguous framing instead of repairing it. Netty's
 * default drops {@code Content-Length} when {@code Transfer-Encoding} is also present; a proxy
 * that repairs framing while the server behind it reads it differently is how request smuggling
 * works, so such a request is marked as a decoding failure and the connection is closed by
 * {@link RequestAdmissionHandler}. Conflicting duplicate {@code Content-Length} values are already
 * failures in Netty's decoder.
 */
public final class StrictHttpRequestDecoder extends HttpRequestDecoder {

  public StrictHttpRequestDecoder(HttpDecoderConfig config) {
    super(config);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new IllegalArgumentException("both Content-Length and Transfer-Encoding are present");
  }
}
