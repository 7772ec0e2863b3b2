package dev.kgate.gateway.forward;

import dev.kgate.gateway.status.Failure;
import dev.kgate.gateway.upstream.UpstreamTarget;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** Maps what went wrong on the way to an API server to a failure that names the cluster and the step. */
public final class UpstreamFailures {

  private UpstreamFailures() {}

  /** Carries a {@link Failure} through Netty futures inside the forwarding code. */
  public static final class UpstreamException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Failure failure;

    public UpstreamException(Failure failure, Throwable cause) {
      super(failure.detail(), cause, false, false);
      this.failure = failure;
    }

    public Failure failure() {
      return failure;
    }
  }

  public static Failure of(UpstreamTarget target, Throwable cause) {
    String cluster = target.clusterName();
    String where = target.authority();
    Throwable root = rootOf(cause);
    if (cause instanceof UpstreamException ue) {
      return ue.failure();
    }
    if (cause instanceof ConnectTimeoutException || root instanceof ConnectTimeoutException) {
      return new Failure.UpstreamTimeout("cluster \"" + cluster + "\" did not accept a connection within "
          + target.connectTimeout().toMillis() + " ms; try again later", where + ": " + cause);
    }
    if (root instanceof ConnectException || root instanceof NoRouteToHostException
        || root instanceof UnknownHostException) {
      return new Failure.UpstreamUnavailable("cluster \"" + cluster
          + "\" is unavailable: its API server refused the connection or could not be found; try again later",
          where + ": " + root);
    }
    if (cause instanceof SslHandshakeTimeoutException) {
      return new Failure.UpstreamTimeout("cluster \"" + cluster + "\" did not complete the TLS handshake in time",
          where + ": " + cause);
    }
    if (cause instanceof SSLException || root instanceof CertificateException
        || cause instanceof SSLHandshakeException) {
      return new Failure.UpstreamBadGateway("cluster \"" + cluster
          + "\": the TLS connection to its API server failed (its certificate is not trusted by the"
          + " configured CA or does not match its name); tell your platform team",
          where + ": " + root);
    }
    return new Failure.UpstreamBadGateway("cluster \"" + cluster
        + "\": the connection to its API server failed; try again", where + ": " + cause);
  }

  private static Throwable rootOf(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r;
  }
}
