package dev.kgate.gateway.forward;

import dev.kgate.audit.redact.CapturedBody;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;

/**
 * The copies of one exchange's bodies that its audit level asks for: the request's, the
 * response's, both or neither. The forwarder shows it every chunk just before passing the chunk
 * on; what was copied reaches the audit record through {@link ForwardingHandler.ExchangeListener#ending}.
 */
public final class ExchangeBodies {

  /** Copies nothing. */
  public static final ExchangeBodies NONE = new ExchangeBodies(null, null);

  private final BodyCopy request;
  private final BodyCopy response;

  private ExchangeBodies(BodyCopy request, BodyCopy response) {
    this.request = request;
    this.response = response;
  }

  /**
   * @param limit the most each copy holds; 0 copies no byte but still counts the body, for a
   *              body that is never written whatever it holds
   */
  public static ExchangeBodies copying(boolean request, boolean response, int limit) {
    if (!request && !response) {
      return NONE;
    }
    return new ExchangeBodies(request ? new BodyCopy(limit) : null, response ? new BodyCopy(limit) : null);
  }

  void requestHead(HttpMessage head) {
    if (request != null) {
      request.headers(head.headers().get(HttpHeaderNames.CONTENT_TYPE),
          head.headers().get(HttpHeaderNames.CONTENT_ENCODING));
    }
  }

  void requestChunk(ByteBuf chunk, boolean last) {
    if (request != null) {
      request.append(chunk, last);
    }
  }

  void responseHead(HttpMessage head) {
    if (response != null) {
      response.headers(head.headers().get(HttpHeaderNames.CONTENT_TYPE),
          head.headers().get(HttpHeaderNames.CONTENT_ENCODING));
    }
  }

  void responseChunk(ByteBuf chunk, boolean last) {
    if (response != null) {
      response.append(chunk, last);
    }
  }

  /** The request body as far as it went, or null when it was not copied. */
  public CapturedBody request() {
    return request == null ? null : request.captured();
  }

  /** The response body as far as it went, or null when it was not copied. */
  public CapturedBody response() {
    return response == null ? null : response.captured();
  }
}
