package dev.kgate.sim.cluster;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the protobuf request bodies kubectl's typed clients send ({@code kubectl create
 * namespace|secret|configmap|deployment|service|serviceaccount|role|rolebinding|clusterrole|
 * clusterrolebinding|job|cronjob}) into the JSON the fabric8 mock stores. A real API server
 * accepts {@code application/vnd.kubernetes.protobuf}; kubectl does not fall back to JSON on 415.
 *
 * <p>The body is the {@code k8s\0} magic and a {@code runtime.Unknown} envelope (type meta and the
 * raw object). Fields are mapped by the field numbers of the k8s.io/api {@code generated.proto}
 * files for the messages these commands fill in; unknown fields are skipped. Zero values are
 * left out, as JSON's {@code omitempty} does, except for pointer fields where zero means
 * something (e.g. {@code replicas: 0}).
 */
final class ProtobufBodies {

  static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";

  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private enum Kind { STRING, INT, BOOL, BYTES, MESSAGE, STRING_MAP, BYTES_MAP, QUANTITY_MAP, TIME, INT_OR_STRING }

  private record Field(String json, Kind kind, String type, boolean repeated, boolean keepZero) {}

  /** Message name to field number to field, as in the k8s.io/api generated.proto files. */
  private static final Map<String, Map<Integer, Field>> MESSAGES = schema();
  private static final Map<String, String> TOP_LEVEL = Map.ofEntries(
      Map.entry("v1/Namespace", "Namespace"),
      Map.entry("v1/Secret", "Secret"),
      Map.entry("v1/ConfigMap", "ConfigMap"),
      Map.entry("v1/ServiceAccount", "ServiceAccount"),
      Map.entry("v1/Service", "Service"),
      Map.entry("v1/Pod", "Pod"),
      Map.entry("apps/v1/Deployment", "Deployment"),
      Map.entry("rbac.authorization.k8s.io/v1/Role", "Role"),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", "Role"),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", "RoleBinding"),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", "RoleBinding"),
      Map.entry("batch/v1/Job", "Job"),
      Map.entry("batch/v1/CronJob", "CronJob"));

  private static Map<String, Map<Integer, Field>> schema() {
    Map<String, Map<Integer, Field>> m = new HashMap<>();
    message(m, "ObjectMeta").s(1, "name").s(2, "generateName").s(3, "namespace").s(5, "uid").s(6, "resourceVersion")
        .i(7, "generation").time(8, "creationTimestamp").time(9, "deletionTimestamp").map(11, "labels")
        .map(12, "annotations").list(13, "ownerReferences", "OwnerReference").strings(14, "finalizers");
    message(m, "OwnerReference").s(1, "kind").s(3, "name").s(4, "uid").s(5, "apiVersion").b(6, "controller")
        .b(7, "blockOwnerDeletion");
    message(m, "LabelSelector").map(1, "matchLabels").list(2, "matchExpressions", "LabelSelectorRequirement");
    message(m, "LabelSelectorRequirement").s(1, "key").s(2, "operator").strings(3, "values");
    message(m, "LocalObjectReference").s(1, "name");
    message(m, "ObjectReference").s(1, "kind").s(2, "namespace").s(3, "name").s(4, "uid").s(5, "apiVersion");

    message(m, "Namespace").m(1, "metadata", "ObjectMeta").m(2, "spec", "NamespaceSpec");
    message(m, "NamespaceSpec").strings(1, "finalizers");
    message(m, "Secret").m(1, "metadata", "ObjectMeta").bytesMap(2, "data").s(3, "type").map(4, "stringData")
        .b(5, "immutable");
    message(m, "ConfigMap").m(1, "metadata", "ObjectMeta").map(2, "data").bytesMap(3, "binaryData").b(4, "immutable");
    message(m, "ServiceAccount").m(1, "metadata", "ObjectMeta").list(2, "secrets", "ObjectReference")
        .list(3, "imagePullSecrets", "LocalObjectReference").b(4, "automountServiceAccountToken");
    message(m, "Service").m(1, "metadata", "ObjectMeta").m(2, "spec", "ServiceSpec");
    message(m, "ServiceSpec").list(1, "ports", "ServicePort").map(2, "selector").s(3, "clusterIP").s(4, "type")
        .strings(5, "externalIPs").s(7, "sessionAffinity").s(8, "loadBalancerIP").s(10, "externalName")
        .s(11, "externalTrafficPolicy").strings(18, "clusterIPs").strings(19, "ipFamilies")
        .s(17, "ipFamilyPolicy").s(22, "internalTrafficPolicy");
    message(m, "ServicePort").s(1, "name").s(2, "protocol").i(3, "port").intOrString(4, "targetPort").i(5, "nodePort")
        .s(6, "appProtocol");

    message(m, "Pod").m(1, "metadata", "ObjectMeta").m(2, "spec", "PodSpec");
    message(m, "PodTemplateSpec").m(1, "metadata", "ObjectMeta").m(2, "spec", "PodSpec");
    message(m, "PodSpec").list(2, "containers", "Container").s(3, "restartPolicy")
        .i(4, "terminationGracePeriodSeconds").i(5, "activeDeadlineSeconds").s(6, "dnsPolicy")
        .map(7, "nodeSelector").s(8, "serviceAccountName").s(9, "serviceAccount").s(10, "nodeName")
        .b(11, "hostNetwork").list(15, "imagePullSecrets", "LocalObjectReference").s(16, "hostname")
        .s(19, "schedulerName").list(20, "initContainers", "Container").s(24, "priorityClassName");
    message(m, "Container").s(1, "name").s(2, "image").strings(3, "command").strings(4, "args").s(5, "workingDir")
        .list(6, "ports", "ContainerPort").list(7, "env", "EnvVar").m(8, "resources", "ResourceRequirements")
        .s(13, "terminationMessagePath").s(14, "imagePullPolicy").b(16, "stdin").b(17, "stdinOnce")
        .b(18, "tty").s(20, "terminationMessagePolicy");
    message(m, "ContainerPort").s(1, "name").i(2, "hostPort").i(3, "containerPort").s(4, "protocol").s(5, "hostIP");
    message(m, "EnvVar").s(1, "name").s(2, "value");
    message(m, "ResourceRequirements").quantities(1, "limits").quantities(2, "requests");

    message(m, "Deployment").m(1, "metadata", "ObjectMeta").m(2, "spec", "DeploymentSpec");
    message(m, "DeploymentSpec").pointer(1, "replicas").m(2, "selector", "LabelSelector")
        .m(3, "template", "PodTemplateSpec").m(4, "strategy", "DeploymentStrategy").i(5, "minReadySeconds")
        .i(6, "revisionHistoryLimit").b(7, "paused").i(9, "progressDeadlineSeconds");
    message(m, "DeploymentStrategy").s(1, "type").m(2, "rollingUpdate", "RollingUpdateDeployment");
    message(m, "RollingUpdateDeployment").intOrString(1, "maxUnavailable").intOrString(2, "maxSurge");

    message(m, "Role").m(1, "metadata", "ObjectMeta").list(2, "rules", "PolicyRule")
        .m(3, "aggregationRule", "AggregationRule");
    message(m, "AggregationRule").list(1, "clusterRoleSelectors", "LabelSelector");
    message(m, "PolicyRule").strings(1, "verbs").strings(2, "apiGroups").strings(3, "resources")
        .strings(4, "resourceNames").strings(5, "nonResourceURLs");
    message(m, "RoleBinding").m(1, "metadata", "ObjectMeta").list(2, "subjects", "Subject").m(3, "roleRef", "RoleRef");
    message(m, "Subject").s(1, "kind").s(2, "apiGroup").s(3, "name").s(4, "namespace");
    message(m, "RoleRef").s(1, "apiGroup").s(2, "kind").s(3, "name");

    message(m, "Job").m(1, "metadata", "ObjectMeta").m(2, "spec", "JobSpec");
    message(m, "JobSpec").pointer(1, "parallelism").pointer(2, "completions").i(3, "activeDeadlineSeconds")
        .m(4, "selector", "LabelSelector").m(6, "template", "PodTemplateSpec").pointer(7, "backoffLimit")
        .i(8, "ttlSecondsAfterFinished").s(9, "completionMode").b(10, "suspend");
    message(m, "CronJob").m(1, "metadata", "ObjectMeta").m(2, "spec", "CronJobSpec");
    message(m, "CronJobSpec").s(1, "schedule").i(2, "startingDeadlineSeconds").s(3, "concurrencyPolicy")
        .b(4, "suspend").m(5, "jobTemplate", "JobTemplateSpec").i(6, "successfulJobsHistoryLimit")
        .i(7, "failedJobsHistoryLimit").s(8, "timeZone");
    message(m, "JobTemplateSpec").m(1, "metadata", "ObjectMeta").m(2, "spec", "JobSpec");
      Map<String, Map<Integer, Field>> frozen = new HashMap<>();
    m.forEach((name, fields) -> frozen.put(name, Map.copyOf(fields)));
    return Map.copyOf(frozen);
  }

  private ProtobufBodies() {}

  static boolean isProtobuf(String contentType) {
    return contentType != null && contentType.startsWith(CONTENT_TYPE);
  }

  /** The JSON form of a protobuf body, or empty when it is not an envelope of a kind we know. */
  static Optional<ObjectNode> toJson(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      return Optional.empty();
    }
    try {
      ProtobufReader envelope = new ProtobufReader(body, MAGIC.length, body.length);
      String apiVersion = "";
      String kind = "";
      byte[] raw = null;
      while (envelope.more()) {
        int tag = (int) envelope.varint();
        if (tag >>> 3 == 1 && (tag & 7) == 2) {
          ProtobufReader typeMeta = envelope.nested();
          while (typeMeta.more()) {
            int t = (int) typeMeta.varint();
            if (t >>> 3 == 1 && (t & 7) == 2) {
              apiVersion = typeMeta.string();
            } else if (t >>> 3 == 2 && (t & 7) == 2) {
              kind = typeMeta.string();
            } else {
              typeMeta.skip(t & 7);
            }
          }
        } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
          raw = envelope.bytes();
        } else {
          envelope.skip(tag & 7);
        }
      }
      String type = TOP_LEVEL.get(apiVersion + "/" + kind);
      if (type == null || raw == null) {
        return Optional.empty();
      }
      ObjectNode object = Json.object();
      object.put("apiVersion", apiVersion);
      object.put("kind", kind);
      object.setAll(decode(type, new ProtobufReader(raw, 0, raw.length)));
      return Optional.of(object);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static ObjectNode decode(String type, ProtobufReader in) {
    Map<Integer, Field> fields = MESSAGES.get(type);
    ObjectNode out = Json.object();
    while (in.more()) {
      int tag = (int) in.varint();
      Field field = fields.get(tag >>> 3);
      if (field == null) {
        in.skip(tag & 7);
        continue;
      }
      JsonNode value = value(field, in, tag & 7);
      if (value == null) {
        continue;
      }
      if (field.repeated()) {
        ArrayNode list = out.has(field.json()) ? (ArrayNode) out.get(field.json()) : out.putArray(field.json());
        list.add(value);
      } else if (value.isObject() && out.has(field.json()) && out.get(field.json()).isObject()) {
        ((ObjectNode) out.get(field.json())).setAll((ObjectNode) value);
      } else {
        out.set(field.json(), value);
      }
    }
    return out;
  }

  private static JsonNode value(Field field, ProtobufReader in, int wireType) {
    switch (field.kind()) {
      case STRING: {
        String s = in.string();
        return s.isEmpty() && !field.repeated() ? null : Json.MAPPER.getNodeFactory().stringNode(s);
      }
      case INT: {
        long v = in.varint();
        return v == 0 && !field.keepZero() ? null : Json.MAPPER.getNodeFactory().numberNode(v);
      }
      case BOOL: {
        boolean v = in.varint() != 0;
        return v || field.keepZero() ? Json.MAPPER.getNodeFactory().booleanNode(v) : null;
      }
      case BYTES:
        return Json.MAPPER.getNodeFactory().stringNode(Base64.getEncoder().encodeToString(in.bytes()));
      case MESSAGE: {
        ObjectNode nested = decode(field.type(), in.nested());
        return nested.isEmpty() && !field.repeated() ? null : nested;
      }
      case TIME:
        return time(in.nested());
      case INT_OR_STRING:
        return intOrString(in.nested());
      case STRING_MAP:
      case BYTES_MAP:
      case QUANTITY_MAP:
        return mapEntry(field.kind(), in.nested());
      default:
        in.skip(wireType);
        return null;
    }
  }

  private static JsonNode time(ProtobufReader in) {
    long seconds = 0;
    while (in.more()) {
      int tag = (int) in.varint();
      if (tag >>> 3 == 1) {
        seconds = in.varint();
      } else {
        in.skip(tag & 7);
      }
    }
    if (seconds == 0) {
      return null;
    }
    return Json.MAPPER.getNodeFactory().stringNode(
        DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds).truncatedTo(ChronoUnit.SECONDS)));
  }

  private static JsonNode intOrString(ProtobufReader in) {
    long type = 0;
    long intVal = 0;
    String strVal = "";
    while (in.more()) {
      int tag = (int) in.varint();
      switch (tag >>> 3) {
        case 1:
          type = in.varint();
          break;
        case 2:
          intVal = in.varint();
          break;
        case 3:
          strVal = in.string();
          break;
        default:
          in.skip(tag & 7);
      }
    }
    return type == 1 ? Json.MAPPER.getNodeFactory().stringNode(strVal)
        : Json.MAPPER.getNodeFactory().numberNode((int) intVal);
  }

  /** One map entry as a single-property object; {@link #decode} merges the entries. */
  private static JsonNode mapEntry(Kind kind, ProtobufReader in) {
    String key = "";
    JsonNode value = Json.MAPPER.getNodeFactory().stringNode("");
    while (in.more()) {
      int tag = (int) in.varint();
      if (tag >>> 3 == 1) {
        key = in.string();
      } else if (tag >>> 3 == 2 && kind == Kind.BYTES_MAP) {
        value = Json.MAPPER.getNodeFactory().stringNode(Base64.getEncoder().encodeToString(in.bytes()));
      } else if (tag >>> 3 == 2 && kind == Kind.QUANTITY_MAP) {
        ProtobufReader quantity = in.nested();
        while (quantity.more()) {
          int t = (int) quantity.varint();
          if (t >>> 3 == 1) {
            value = Json.MAPPER.getNodeFactory().stringNode(quantity.string());
          } else {
            quantity.skip(t & 7);
          }
        }
      } else if (tag >>> 3 == 2) {
        value = Json.MAPPER.getNodeFactory().stringNode(in.string());
      } else {
        in.skip(tag & 7);
      }
    }
    ObjectNode entry = Json.object();
    entry.set(key, value);
    return entry;
  }

  private static Builder message(Map<String, Map<Integer, Field>> schema, String name) {
    Map<Integer, Field> fields = new HashMap<>();
    schema.put(name, fields);
    return new Builder(fields);
  }

  /** Declares a message's fields; reads like the .proto it mirrors. */
  private static final class Builder {
    private final Map<Integer, Field> fields;

    Builder(Map<Integer, Field> fields) {
      this.fields = fields;
    }

    private Builder add(int number, Field field) {
      fields.put(number, field);
      return this;
    }

    Builder s(int n, String json) {
      return add(n, new Field(json, Kind.STRING, null, false, false));
    }

    Builder strings(int n, String json) {
      return add(n, new Field(json, Kind.STRING, null, true, false));
    }

    Builder i(int n, String json) {
      return add(n, new Field(json, Kind.INT, null, false, false));
    }

    Builder pointer(int n, String json) {
      return add(n, new Field(json, Kind.INT, null, false, true));
    }

    Builder b(int n, String json) {
      return add(n, new Field(json, Kind.BOOL, null, false, false));
    }

    Builder m(int n, String json, String type) {
      return add(n, new Field(json, Kind.MESSAGE, type, false, false));
    }

    Builder list(int n, String json, String type) {
      return add(n, new Field(json, Kind.MESSAGE, type, true, false));
    }

    Builder map(int n, String json) {
      return add(n, new Field(json, Kind.STRING_MAP, null, false, false));
    }

    Builder bytesMap(int n, String json) {
      return add(n, new Field(json, Kind.BYTES_MAP, null, false, false));
    }

    Builder quantities(int n, String json) {
      return add(n, new Field(json, Kind.QUANTITY_MAP, null, false, false));
    }

    Builder time(int n, String json) {
      return add(n, new Field(json, Kind.TIME, null, false, false));
    }

    Builder intOrString(int n, String json) {
      return add(n, new Field(json, Kind.INT_OR_STRING, null, false, false));
    }
  }
}
