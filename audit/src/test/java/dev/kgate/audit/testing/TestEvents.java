package dev.kgate.audit.testing;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.ObjectReference;
import dev.kgate.audit.ResponseStatus;
import dev.kgate.audit.Stage;
import dev.kgate.audit.UserInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Audit events as the gateway would fill them, for tests. */
public final class TestEvents {

  private TestEvents() {}

  /** An allowed {@code get} of a pod by {@code username}, numbered {@code n}. */
  public static AuditEvent allowedGet(String username, int n, Instant at) {
    return AuditEvent.builder()
        .auditId(username.hashCode() + "-" + n)
        .stage(Stage.ResponseComplete)
        .requestUri("/api/v1/namespaces/default/pods/web-" + n)
        .verb("get")
        .user(new UserInfo(username, "uid-" + username, List.of("dev", "sre"),
            Map.of("kgate.dev/issuer", List.of("https://idp.example.com"))))
        .impersonatedUser(UserInfo.of(username, List.of("kgate:sre", "system:authenticated")))
        .sourceIps(List.of("10.0.0.7"))
        .userAgent("kubectl/v1.32.5 (linux/amd64) kubernetes/9894294")
        .objectRef(new ObjectReference("pods", "default", "web-" + n, "", "v1", null))
        .responseStatus(ResponseStatus.of(200))
        .requestReceivedTimestamp(at)
        .stageTimestamp(at.plusMillis(3))
        .decision(AuditAnnotations.ALLOW)
        .annotation(AuditAnnotations.RULE, "sre/0")
        .cluster("prod-eu")
        .issuer("https://idp.example.com")
        .subject("sub-" + username)
        .amr(List.of("pwd", "otp"))
        .acr("mfa")
        .latencyMillis(3L)
        .requestBytes(0L)
        .responseBytes(1834L)
        .build();
  }

  /** A denied {@code create pods/exec} by {@code username}. */
  public static AuditEvent deniedExec(String username, int n, Instant at) {
    return allowedGet(username, n, at).toBuilder()
        .verb("create")
        .requestUri("/api/v1/namespaces/payments/pods/pay-0/exec?command=sh&container=c&stdin=true&stdout=true&tty=true")
        .objectRef(new ObjectReference("pods", "payments", "pay-0", "", "v1", "exec"))
        .responseStatus(new ResponseStatus(403, "Failure", "Forbidden", "forbidden by kgate policy"))
        .decision(AuditAnnotations.DENY)
        .annotation(AuditAnnotations.REASON, "no rule allows create pods/exec in payments")
        .build();
  }

  /** A request without a valid token from {@code address}. */
  public static AuditEvent unauthenticated(String address, int n, Instant at) {
    return AuditEvent.builder()
        .auditId("anon-" + n)
        .stage(Stage.ResponseComplete)
        .requestUri("/api/v1/secrets")
        .verb("list")
        .user(UserInfo.anonymous())
        .sourceIps(List.of("203.0.113.9", address))
        .responseStatus(new ResponseStatus(401, "Failure", "Unauthorized", "Unauthorized"))
        .stageTimestamp(at)
        .decision(AuditAnnotations.UNAUTHENTICATED)
        .annotation(AuditAnnotations.REASON, "token expired")
        .cluster("prod-eu")
        .build();
  }
}
