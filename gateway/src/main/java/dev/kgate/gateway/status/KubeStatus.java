package dev.kgate.gateway.status;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Builds the Kubernetes {@code Status} answers kubectl can read. kubectl only shows our message
 * when the body decodes as a full {@code Status} ({@code kind}, {@code apiVersion}, {@code status:
 * Failure}); anything else becomes "unknown" or a generic text (PROTOCOLS.md §9), so every error
 * the gateway produces goes through here.
 */
public final class KubeStatus {

  private KubeStatus() {}

  /** The HTTP status for a failure. */
  public static HttpResponseStatus httpStatus(Failure failure) {
    if (failure instanceof Failure.BadRequest) {
      return HttpResponseStatus.BAD_REQUEST;
    } else if (failure instanceof Failure.Unauthenticated || failure instanceof Failure.StepUpRequired) {
      return HttpResponseStatus.UNAUTHORIZED;
    } else if (failure instanceof Failure.Forbidden) {
      return HttpResponseStatus.FORBIDDEN;
    } else if (failure instanceof Failure.NotFound) {
      return HttpResponseStatus.NOT_FOUND;
    } else if (failure instanceof Failure.TooManyRequests) {
      return HttpResponseStatus.TOO_MANY_REQUESTS;
    } else if (failure instanceof Failure.UpstreamUnavailable || failure instanceof Failure.GatewayUnavailable) {
      return HttpResponseStatus.SERVICE_UNAVAILABLE;
    } else if (failure instanceof Failure.UpstreamTimeout) {
      return HttpResponseStatus.GATEWAY_TIMEOUT;
    }
    return HttpResponseStatus.BAD_GATEWAY;
  }

  /** The Kubernetes {@code reason} matching {@link #httpStatus}. */
  public static String reason(Failure failure) {
    if (failure instanceof Failure.BadRequest) {
      return "BadRequest";
    } else if (failure instanceof Failure.Unauthenticated || failure instanceof Failure.StepUpRequired) {
      return "Unauthorized";
    } else if (failure instanceof Failure.Forbidden) {
      return "Forbidden";
    } else if (failure instanceof Failure.NotFound) {
      return "NotFound";
    } else if (failure instanceof Failure.TooManyRequests) {
      return "TooManyRequests";
    } else if (failure instanceof Failure.UpstreamUnavailable || failure instanceof Failure.GatewayUnavailable) {
      return "ServiceUnavailable";
    } else if (failure instanceof Failure.UpstreamTimeout) {
      return "Timeout";
    }
    return "InternalError";
  }

  /** A complete response carrying the {@code Status} for {@code failure}. */
  public static FullHttpResponse response(ByteBufAllocator alloc, Failure failure) {
    return response(alloc, failure, false);
  }

  /**
   * A complete response for {@code failure}: the {@code Status} JSON, or with {@code plainText}
   * just its message as {@code text/plain}. client-go reads discovery answers ({@code /api},
   * {@code /apis}, …) as raw bytes and then shows a 403 or 5xx body only when it is text; a JSON
   * {@code Status} there reaches the person as "unknown" (PROTOCOLS.md §9).
   */
  public static FullHttpResponse response(ByteBufAllocator alloc, Failure failure, boolean plainText) {
    HttpResponseStatus status = httpStatus(failure);
    String text = plainText ? failure.message() : json(status.code(), reason(failure), failure.message());
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuf body = alloc.buffer(bytes.length).writeBytes(bytes);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE,
            plainText ? "text/plain; charset=utf-8" : HttpHeaderValues.APPLICATION_JSON.toString())
        .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    if (failure instanceof Failure.Unauthenticated) {
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"kgate\"");
    } else if (failure instanceof Failure.StepUpRequired stepUp) {
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, stepUp.wwwAuthenticate());
    } else if (failure instanceof Failure.GatewayUnavailable) {
      // kubectl and client-go retry a 503 that names a delay.
      response.headers().set(HttpHeaderNames.RETRY_AFTER, 1);
    } else if (failure instanceof Failure.TooManyRequests tooMany) {
      response.headers().set(HttpHeaderNames.RETRY_AFTER, Math.max(1, tooMany.retryAfterSeconds()));
    }
    return response;
  }

  /** The Status JSON text. */
  public static String json(int code, String reason, String message) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
        + quote(message) + ",\"reason\":" + quote(reason) + ",\"code\":" + code + "}";
  }

  /** JSON string literal, escaping quotes, backslashes and control characters. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
