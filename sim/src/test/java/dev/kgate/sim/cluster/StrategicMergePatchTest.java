package dev.kgate.sim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StrategicMergePatchTest {

  private static JsonNode json(String text) {
    return Json.MAPPER.readTree(text.replace('\'', '"'));
  }

  private static java.util.List<String> names(JsonNode pod) {
    java.util.List<String> names = new java.util.ArrayList<>();
    pod.path("spec").path("containers").forEach(c -> names.add(c.path("name").stringValue()));
    return names;
  }

  private static final JsonNode POD = json("{'metadata':{'name':'p','labels':{'a':'1','b':'2'}},"
      + "'spec':{'containers':[{'name':'app','image':'app:1','env':[{'name':'X','value':'1'}]},"
      + "{'name':'side','image':'side:1'}],'finalizers':['f1']}}");

  @Test
  void containersAreMergedByNameAndEnvByName() {
    JsonNode patched = StrategicMergePatch.apply(POD, json(
        "{'spec':{'$setElementOrder/containers':[{'name':'app'},{'name':'side'}],"
            + "'containers':[{'name':'app','env':[{'name':'X','value':'2'}]}]}}"));

    assertThat(patched.path("spec").path("containers")).hasSize(2);
    assertThat(patched.at("/spec/containers/0/image").stringValue()).isEqualTo("app:1");
    assertThat(patched.at("/spec/containers/0/env/0/value").stringValue()).isEqualTo("2");
    assertThat(patched.at("/spec/containers/1/name").stringValue()).isEqualTo("side");
  }

  @Test
  void nullDeletesAKeyAndDeleteDirectiveRemovesAListElement() {
    JsonNode patched = StrategicMergePatch.apply(POD, json(
        "{'metadata':{'labels':{'a':null}},'spec':{'containers':[{'name':'side','$patch':'delete'}]}}"));

    assertThat(patched.at("/metadata/labels").propertyNames()).containsExactly("b");
    assertThat(names(patched)).containsExactly("app");
  }

  @Test
  void anUnknownNameIsAppendedAndOrderFollowsSetElementOrder() {
    JsonNode patched = StrategicMergePatch.apply(POD, json(
        "{'spec':{'$setElementOrder/containers':[{'name':'new'},{'name':'app'},{'name':'side'}],"
            + "'containers':[{'name':'new','image':'new:1'}]}}"));

    assertThat(names(patched))
        .containsExactly("new", "app", "side");
  }

  @Test
  void replaceDirectiveReplacesAMapAndListsWithoutMergeKeyAreReplaced() {
    JsonNode patched = StrategicMergePatch.apply(POD, json(
        "{'metadata':{'labels':{'$patch':'replace','c':'3'}},'spec':{'args':['x']}}"));

    assertThat(patched.at("/metadata/labels").propertyNames()).containsExactly("c");
    assertThat(patched.at("/spec/args/0").stringValue()).isEqualTo("x");
  }

  @Test
  void finalizersAreMergedAsASetAndCanBeDeletedFromThePrimitiveList() {
    JsonNode added = StrategicMergePatch.apply(POD, json("{'spec':{'finalizers':['f2','f1']}}"));
    JsonNode removed = StrategicMergePatch.apply(POD, json("{'spec':{'$deleteFromPrimitiveList/finalizers':['f1']}}"));

    assertThat(added.at("/spec/finalizers").toString()).isEqualTo("[\"f1\",\"f2\"]");
    assertThat(removed.at("/spec/finalizers")).isEmpty();
  }

  @Test
  void mergePatchReplacesListsAndDeletesNulls() {
    JsonNode patched = MergePatch.apply(POD, json("{'metadata':{'labels':{'b':null}},'spec':{'containers':[{'name':'only'}]}}"));

    assertThat(patched.at("/metadata/labels").propertyNames()).containsExactly("a");
    assertThat(names(patched)).containsExactly("only");
  }
}
