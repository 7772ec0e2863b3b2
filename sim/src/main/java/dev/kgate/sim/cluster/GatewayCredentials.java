package dev.kgate.sim.cluster;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The simulated API server's authentication: like a real cluster it only lets in its own trusted
 * callers, here the gateway, which proves itself with the cluster's bearer token or with a client
 * certificate issued by the cluster's CA. Impersonation headers are the gateway's business and
 * are never checked here. The TLS layer already verified any client certificate against the
 * cluster CA; this checks one was presented and was issued by that CA.
 */
final class GatewayCredentials {

  private final byte[] expectedAuthorization;
  private final X509Certificate clusterCa;

  GatewayCredentials(String token, X509Certificate clusterCa) {
    this.expectedAuthorization = ("Bearer " + Objects.requireNonNull(token, "token")).getBytes(StandardCharsets.US_ASCII);
    this.clusterCa = Objects.requireNonNull(clusterCa, "clusterCa");
  }

  boolean accepts(Channel channel, HttpHeaders headers) {
    for (String value : headers.getAll(HttpHeaderNames.AUTHORIZATION)) {
      if (MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII), expectedAuthorization)) {
        return true;
      }
    }
    return hasClusterClientCertificate(channel);
  }

  private boolean hasClusterClientCertificate(Channel channel) {
    Channel connection = channel.parent() != null ? channel.parent() : channel;
    SslHandler ssl = connection.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return false;
    }
    try {
      Certificate[] peer = ssl.engine().getSession().getPeerCertificates();
      if (peer.length == 0 || !(peer[0] instanceof X509Certificate)) {
        return false;
      }
      X509Certificate leaf = (X509Certificate) peer[0];
      leaf.verify(clusterCa.getPublicKey());
      return true;
    } catch (SSLPeerUnverifiedException e) {
      return false;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }
}
