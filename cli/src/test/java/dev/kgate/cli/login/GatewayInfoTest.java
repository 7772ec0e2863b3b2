package dev.kgate.cli.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which issuer {@code kgate login https://gw} picks from the gateway's self-description, and which addresses it takes. */
class GatewayInfoTest {

  private static final URI GATEWAY = URI.create("https://gw.example.com");

  @Test
  void the_only_issuer_with_a_client_id_is_chosen() {
    GatewayInfo info = new GatewayInfo(GATEWAY, "1.0", List.of(
        new GatewayInfo.Issuer("https://ci.example.com", null),
        new GatewayInfo.Issuer("https://idp.example.com/realms/eng", "kgate-cli")), List.of("openid", "email"));
    assertThat(info.issuer(null)).isEqualTo(new GatewayInfo.Issuer("https://idp.example.com/realms/eng", "kgate-cli"));
    assertThat(info.scope()).isEqualTo("openid email");
  }

  @Test
  void several_loginable_issuers_need_a_choice_and_a_choice_must_be_one_of_them() {
    GatewayInfo info = new GatewayInfo(GATEWAY, "1.0", List.of(
        new GatewayInfo.Issuer("https://a.example.com", "kgate"),
        new GatewayInfo.Issuer("https://b.example.com", "kgate")), List.of());
    assertThatThrownBy(() -> info.issuer(null)).hasMessageContaining("choose one with --issuer: https://a.example.com, https://b.example.com");
    assertThat(info.issuer("https://b.example.com/").issuer()).isEqualTo("https://b.example.com");
    assertThatThrownBy(() -> info.issuer("https://evil.example.com"))
        .hasMessageContaining("does not accept tokens from https://evil.example.com");
  }

  @Test
  void gateway_addresses_are_https_without_a_path() {
    assertThat(GatewayAddress.parse("https://gw.example.com:8443/")).isEqualTo(URI.create("https://gw.example.com:8443"));
    assertThatThrownBy(() -> GatewayAddress.parse("http://gw.example.com")).hasMessageContaining("not an https URL");
    assertThatThrownBy(() -> GatewayAddress.parse("https://gw.example.com/clusters/prod"))
        .hasMessageContaining("give the gateway's address only, like https://gw.example.com");
  }
}
