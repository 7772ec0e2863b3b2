package dev.kgate.cli.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The small JSON reader and writer agree with Jackson on what the login code reads and writes. */
class JsonTest {

  @Test
  void what_it_writes_jackson_reads_back_the_same_including_escapes() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("s", "quote \" backslash \\ newline \n tab \t control \u0001 unicode é");
    value.put("n", 42L);
    value.put("b", true);
    value.put("null", null);
    value.put("list", List.of("a", 1L));

    String written = Json.write(value);

    Map<?, ?> jackson = JsonMapper.builder().build().readValue(written, Map.class);
    assertThat(jackson.get("s")).isEqualTo(value.get("s"));
    assertThat(((Number) jackson.get("n")).longValue()).isEqualTo(42L);
    assertThat(jackson.get("b")).isEqualTo(true);
    assertThat(jackson.containsKey("null") && jackson.get("null") == null).as("null kept").isTrue();
    assertThat(jackson.get("list").toString()).isEqualTo("[a, 1]");
    assertThat(Json.parseObject(written)).isEqualTo(value);
  }

  @Test
  void it_reads_an_idp_style_document_with_nesting_numbers_and_escapes() {
    Map<String, Object> parsed = Json.parseObject(
        " {\"issuer\":\"https:\\/\\/idp\",\"expires_in\":300,\"ratio\":1.5e2,\"ok\":false,\"x\":null,"
            + "\"nested\":{\"a\":[1,{\"b\":\"\\u00e9\"}]}} ");

    assertThat(parsed).containsEntry("issuer", "https://idp").containsEntry("expires_in", 300L)
        .containsEntry("ratio", 150.0).containsEntry("ok", false).containsEntry("x", null);
    assertThat(parsed.get("nested")).isEqualTo(Map.of("a", List.of(1L, Map.of("b", "é"))));
  }

  @Test
  void it_refuses_what_is_not_one_json_object() {
    for (String bad : List.of("", "[]", "{\"a\":1} trailing", "{\"a\":}", "{\"a\":\"open", "{'a':1}")) {
      assertThatThrownBy(() -> Json.parseObject(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
