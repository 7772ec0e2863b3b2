package dev.kgate.audit.redact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.ObjectReference;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class BodyRedactionTest {

  private static final ObjectReference CONFIGMAPS = new ObjectReference("configmaps", "shop", null, "", "v1", null);
  private static final ObjectReference SECRETS = new ObjectReference("secrets", "shop", null, "", "v1", null);
  private static final int LIMIT = 65536;

  private static CapturedBody json(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new CapturedBody("application/json", null, bytes, bytes.length, LIMIT, true);
  }

  private static RecordedBody.Written written(ObjectReference ref, String body) {
    RecordedBody recorded = BodyRedaction.record(ref, json(body));
    assertThat(recorded).as("the body is written").isInstanceOf(RecordedBody.Written.class);
    return (RecordedBody.Written) recorded;
  }

  private static String omittedReason(ObjectReference ref, CapturedBody body) {
    RecordedBody recorded = BodyRedaction.record(ref, body);
    assertThat(recorded).as("the body is left out").isInstanceOf(RecordedBody.Omitted.class);
    return ((RecordedBody.Omitted) recorded).reason();
  }

  @Test
  void anOrdinaryConfigMapIsWrittenAsItWas() {
    RecordedBody.Written written = written(CONFIGMAPS,
        "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"shop\"},\"data\":{\"color\":\"blue\",\"replicas\":3}}");

    assertThat(written.object().json())
        .isEqualTo("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"shop\"},\"data\":{\"color\":\"blue\",\"replicas\":3}}");
    assertThat(written.redactedFields()).isZero();
  }

  @Test
  void credentialFieldsAreRedactedAtAnyDepthWhateverTheirValue() {
    RecordedBody.Written written = written(CONFIGMAPS, """
        {"kind":"ConfigMap","data":{"password":"hunter2","color":"blue"},
         "spec":{"deep":[{"client":{"clientSecret":"s3","apiKey":12345,"credentials":{"user":"u","pass":"p"}}}]},
         "enabled":{"token":true},"empty":{"secret":""}}""");
    JsonNode tree = written.object().tree();

    assertThat(tree.at("/data/password").stringValue()).isEqualTo(BodyRedaction.REDACTED);
    assertThat(tree.at("/data/color").stringValue()).isEqualTo("blue");
    assertThat(tree.at("/spec/deep/0/client/clientSecret").stringValue()).isEqualTo(BodyRedaction.REDACTED);
    assertThat(tree.at("/spec/deep/0/client/apiKey").stringValue()).as("numbers too").isEqualTo(BodyRedaction.REDACTED);
    assertThat(tree.at("/spec/deep/0/client/credentials").stringValue()).as("whole objects too")
        .isEqualTo(BodyRedaction.REDACTED);
    assertThat(tree.at("/enabled/token").booleanValue()).as("a boolean holds no secret").isTrue();
    assertThat(written.redactedFields()).isEqualTo(4);
    assertThat(written.object().json()).doesNotContain("hunter2").doesNotContain("s3").doesNotContain("12345");
  }

  @Test
  void anEnvVarOrPatchNamedLikeACredentialHasItsValueRedacted() {
    RecordedBody.Written env = written(new ObjectReference("pods", "shop", null, "", "v1", null), """
        {"kind":"Pod","spec":{"containers":[{"name":"app","env":[
          {"name":"DB_PASSWORD","value":"hunter2"},{"name":"COLOR","value":"blue"}]}]}}""");
    RecordedBody.Written patch = written(CONFIGMAPS, """
        [{"op":"replace","path":"/data/api_key","value":"abc123"},{"op":"add","path":"/data/color","value":"red"}]""");

    assertThat(env.object().json()).doesNotContain("hunter2").contains("blue");
    assertThat(patch.object().json()).doesNotContain("abc123").contains("red");
  }

  @Test
  void theLastAppliedConfigurationIsRedactedInsideItsString() {
    String lastApplied = "{\\\"apiVersion\\\":\\\"v1\\\",\\\"data\\\":{\\\"password\\\":\\\"hunter2\\\"},"
        + "\\\"kind\\\":\\\"ConfigMap\\\"}";
    RecordedBody.Written written = written(CONFIGMAPS, "{\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{"
        + "\"kubectl.kubernetes.io/last-applied-configuration\":\"" + lastApplied + "\"}},"
        + "\"data\":{\"password\":\"hunter2\"}}");

    assertThat(written.object().json()).doesNotContain("hunter2");
    String annotation = written.object().tree()
        .at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").stringValue();
    assertThat(annotation).as("still the object, as JSON text").contains("\"kind\":\"ConfigMap\"")
        .contains(BodyRedaction.REDACTED);
  }

  @Test
  void secretsAndTokenRequestsAreNeverWrittenWhateverTheirContent() {
    String secret = "{\"kind\":\"Secret\",\"data\":{\"x\":\"aHVudGVyMg==\"}}";

    assertThat(omittedReason(SECRETS, json(secret))).startsWith("never written");
    assertThat(omittedReason(new ObjectReference("tokenreviews", null, null, "authentication.k8s.io", "v1", null),
        json("{\"kind\":\"TokenReview\",\"spec\":{\"token\":\"eyJ\"}}"))).startsWith("never written");
    assertThat(omittedReason(new ObjectReference("serviceaccounts", "shop", "app", "", "v1", "token"),
        json("{\"kind\":\"TokenRequest\"}"))).startsWith("never written");
    assertThat(BodyRedaction.neverWritten(SECRETS)).isTrue();
    assertThat(BodyRedaction.neverWritten(CONFIGMAPS)).isFalse();
  }

  @Test
  void aSecretOrListOfSecretsIsNeverWrittenEvenUnderAnotherResource() {
    assertThat(omittedReason(CONFIGMAPS, json("{\"kind\":\"Secret\",\"data\":{\"x\":\"aHVudGVyMg==\"}}")))
        .isEqualTo("never written: a Secret");
    assertThat(omittedReason(CONFIGMAPS, json("{\"kind\":\"SecretList\",\"items\":[{\"data\":{\"x\":\"eA==\"}}]}")))
        .isEqualTo("never written: a SecretList");
  }

  @Test
  void secretsInsideAGenericListLoseTheirDataAndStringData() {
    RecordedBody.Written written = written(new ObjectReference(null, null, null, null, null, null), """
        {"kind":"List","items":[
          {"kind":"Secret","metadata":{"name":"db"},"data":{"url":"aHVudGVyMg=="},"stringData":{"url":"hunter2"}},
          {"kind":"ConfigMap","metadata":{"name":"shop"},"data":{"url":"https://shop"}}]}""");
    JsonNode tree = written.object().tree();

    assertThat(tree.at("/items/0/data").stringValue()).isEqualTo(BodyRedaction.REDACTED);
    assertThat(tree.at("/items/0/stringData").stringValue()).isEqualTo(BodyRedaction.REDACTED);
    assertThat(tree.at("/items/0/metadata/name").stringValue()).isEqualTo("db");
    assertThat(tree.at("/items/1/data/url").stringValue()).isEqualTo("https://shop");
    assertThat(written.object().json()).doesNotContain("hunter2").doesNotContain("aHVudGVyMg==");
  }

  @Test
  void aBodyThatIsNotJsonIsLeftOutWithItsContentType() {
    byte[] protobuf = {'k', '8', 's', 0, 1, 2, 3};
    CapturedBody body = new CapturedBody("application/vnd.kubernetes.protobuf", null, protobuf, protobuf.length,
        LIMIT, true);

    assertThat(omittedReason(CONFIGMAPS, body)).isEqualTo("omitted: not a JSON object (application/vnd.kubernetes.protobuf)");
    assertThat(omittedReason(CONFIGMAPS, json("\"just a string\""))).startsWith("omitted: not a JSON object");
  }

  @Test
  void aBodyOverTheLimitCutShortOrCompressedIsLeftOutWithTheReason() {
    CapturedBody tooLarge = new CapturedBody("application/json", null, null, 70_000, LIMIT, true);
    CapturedBody cutShort = new CapturedBody("application/json", null, new byte[] {'{'}, 1, LIMIT, false);
    CapturedBody gzipped = new CapturedBody("application/json", "gzip", new byte[] {31, -117}, 2, LIMIT, true);

    assertThat(omittedReason(CONFIGMAPS, tooLarge)).isEqualTo(
        "omitted: 70000 bytes, larger than the limit of 65536 (audit.maxBodyBytes)");
    assertThat(omittedReason(CONFIGMAPS, cutShort)).startsWith("omitted: the body did not end");
    assertThat(omittedReason(CONFIGMAPS, gzipped)).isEqualTo("omitted: encoded as gzip");
  }

  @Test
  void noBodyIsRecordedAsNothing() {
    assertThat(BodyRedaction.record(CONFIGMAPS, new CapturedBody(null, null, new byte[0], 0, LIMIT, true)))
        .isInstanceOf(RecordedBody.Empty.class);
  }
}
