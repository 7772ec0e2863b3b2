package dev.kgate.sim.idp;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A person's browser at the {@link LoginPageIdp}'s login page, for tests: opens the authorization
 * URL a CLI printed or opened, fills in the form, and follows the IdP's redirect to the CLI's
 * loopback listener, which is how the code reaches it.
 */
public final class LoginPageBrowser {

  private static final Pattern REQUEST = Pattern.compile("name=\"request\" value=\"([^\"]*)\"");
  private static final Pattern ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
  private static final Pattern ERROR = Pattern.compile("<p class=\"error\"[^>]*>([^<]*)</p>");

  private final HttpClient http;

  /** @param trust a TLS context trusting the IdP's CA */
  public LoginPageBrowser(SSLContext trust) {
    this.http = HttpClient.newBuilder().sslContext(Objects.requireNonNull(trust, "trust")).version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * Signs in and delivers the redirect.
   *
   * @param otp the one-time code to type when the page asks for one, or null
   * @return the status the loopback listener answered with
   * @throws IllegalStateException with the page's message when the IdP refuses the login
   */
  public int signIn(URI authorizationUrl, String username, String password, String otp) {
    HttpResponse<String> page = send(HttpRequest.newBuilder(authorizationUrl).GET());
    Matcher request = REQUEST.matcher(page.body());
    Matcher action = ACTION.matcher(page.body());
    if (page.statusCode() != 200 || !request.find() || !action.find()) {
      throw new IllegalStateException("no login form at " + authorizationUrl + ": " + message(page));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("request", request.group(1));
    fields.put("username", username);
    fields.put("password", password);
    if (otp != null && page.body().contains("name=\"otp\"")) {
      fields.put("otp", otp);
    }
    HttpResponse<String> answer = send(HttpRequest.newBuilder(page.uri().resolve(action.group(1)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    if (answer.statusCode() != 302) {
      throw new IllegalStateException("the IdP refused the login of " + username + ": " + message(answer));
    }
    URI callback = URI.create(answer.headers().firstValue("Location").orElseThrow());
    return send(HttpRequest.newBuilder(callback).GET()).statusCode();
  }

  private static String message(HttpResponse<String> page) {
    Matcher error = ERROR.matcher(page.body());
    return error.find() ? error.group(1) : "HTTP " + page.statusCode();
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
