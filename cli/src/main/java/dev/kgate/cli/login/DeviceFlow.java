package dev.kgate.cli.login;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The device authorization grant (RFC 8628), for a terminal with no browser at hand: the person
 * opens the verification URI elsewhere and types the user code, while this polls the token
 * endpoint at the IdP's interval, slowing down by five seconds on {@code slow_down} (§3.5). PKCE
 * is sent when the IdP advertises S256; Keycloak requires it on clients that require PKCE.
 */
final class DeviceFlow {

  static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
  static final long DEFAULT_INTERVAL_SECONDS = 5;
  static final long SLOW_DOWN_SECONDS = 5;

  /** Waits between polls; the tests pass one that only records. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final OidcClient client;
  private final PrintWriter prompts;
  private final Sleeper sleeper;

  DeviceFlow(OidcClient client, PrintWriter prompts, Sleeper sleeper) {
    this.client = Objects.requireNonNull(client, "client");
    this.prompts = Objects.requireNonNull(prompts, "prompts");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  TokenSet login(AuthParameters parameters) {
    OidcProvider provider = client.provider();
    if (provider.deviceAuthorizationEndpoint() == null) {
      throw new IdpException("unsupported", "the IdP advertises no device_authorization_endpoint; log in without --device");
    }
    Pkce pkce = provider.supportsS256() ? Pkce.create() : null;
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", client.clientId());
    form.putAll(parameters.requestParameters());
    if (pkce != null) {
      form.put("code_challenge", pkce.challenge());
      form.put("code_challenge_method", "S256");
    }
    Map<String, Object> authorization = client.http().postForm(provider.deviceAuthorizationEndpoint(), form)
        .successOrThrow("the device authorization request");
    String deviceCode = Json.string(authorization, "device_code");
    String userCode = Json.string(authorization, "user_code");
    String verificationUri = Json.string(authorization, "verification_uri");
    if (deviceCode == null || userCode == null || verificationUri == null) {
      throw new IdpException("device", "the device authorization response lacks device_code, user_code or verification_uri");
    }
    Long expiresIn = Json.number(authorization, "expires_in");
    Long intervalSeconds = Json.number(authorization, "interval");
    Instant deadline = client.clock().instant().plusSeconds(expiresIn != null ? expiresIn : 600);
    Duration interval = Duration.ofSeconds(intervalSeconds != null && intervalSeconds > 0 ? intervalSeconds
        : DEFAULT_INTERVAL_SECONDS);

    prompts.println("To log in, open " + verificationUri + " and enter the code " + userCode);
    String complete = Json.string(authorization, "verification_uri_complete");
    if (complete != null) {
      prompts.println("  (or open " + complete + ")");
    }
    prompts.flush();

    Map<String, String> poll = new LinkedHashMap<>();
    poll.put("grant_type", GRANT_TYPE);
    poll.put("device_code", deviceCode);
    poll.put("client_id", client.clientId());
    if (pkce != null) {
      poll.put("code_verifier", pkce.verifier());
    }
    while (true) {
      if (!client.clock().instant().isBefore(deadline)) {
        throw new IdpException("expired_token", "the device code expired before the login was completed; run the login again");
      }
      sleep(interval);
      IdpHttp.Answer answer = client.tokenRequest(poll);
      if (answer.status() / 100 == 2) {
        return client.tokens(answer.body(), null);
      }
      String error = Json.string(answer.body(), "error");
      if ("authorization_pending".equals(error)) {
        continue;
      }
      if ("slow_down".equals(error)) {
        interval = interval.plusSeconds(SLOW_DOWN_SECONDS);
        continue;
      }
      if ("expired_token".equals(error)) {
        throw new IdpException(error, "the device code expired before the login was completed; run the login again");
      }
      if ("access_denied".equals(error)) {
        throw new IdpException(error, "the login was denied at the IdP");
      }
      throw answer.error("the device login");
    }
  }

  private void sleep(Duration interval) {
    try {
      sleeper.sleep(interval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IdpException("interrupted", "interrupted while waiting for the device login");
    }
  }
}
