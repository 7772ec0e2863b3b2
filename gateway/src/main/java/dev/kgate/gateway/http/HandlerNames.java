package dev.kgate.gateway.http;

/** Names of the client-side pipeline handlers, shared by the initializer and the upgrade switch. */
public final class HandlerNames {
  public static final String TLS = "tls";
  public static final String ALPN = "alpn";
  public static final String HTTP_CODEC = "http-codec";
  public static final String IDLE = "idle";
  public static final String ADMISSION = "admission";
  public static final String AUTHENTICATION = "authn";
  public static final String GATEWAY_INFO = "gateway-info";
  public static final String CLUSTER = "cluster";
  public static final String AUTHORIZATION = "authz";
  public static final String FAIR_USE = "fair-use";
  public static final String AUDIT_GATE = "audit-gate";
  public static final String REJECTION = "reject";
  public static final String FORWARD = "forward";
  public static final String RELAY = "relay";

  /** The per-request stages, removed when a connection switches to a byte relay. */
  public static final String[] REQUEST_STAGES = {
      ADMISSION, AUTHENTICATION, GATEWAY_INFO, CLUSTER, AUTHORIZATION, FAIR_USE, AUDIT_GATE, REJECTION, FORWARD};

  private HandlerNames() {}
}
