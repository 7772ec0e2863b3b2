package dev.kgate.sim.idp;

/**
 * The HTML of the demo IdP's login page: one self-contained document, no scripts, no external
 * resources (the page's Content-Security-Policy allows none), every dynamic value escaped.
 */
final class LoginPage {

  private LoginPage() {}

  /**
   * The form; {@code request} is the pending authorization request's id, carried in a hidden
   * field so the request itself stays on the server.
   *
   * @param error shown above the form, or null
   */
  static String form(String request, boolean secondFactor, String error) {
    StringBuilder html = new StringBuilder(head());
    html.append("<h1>Sign in to kgate demo</h1>\n");
    if (error != null) {
      html.append("<p class=\"error\" role=\"alert\">").append(escape(error)).append("</p>\n");
    }
    html.append("<form method=\"post\" action=\"").append(LoginPageIdp.AUTHORIZE).append("\">\n")
        .append("<input type=\"hidden\" name=\"request\" value=\"").append(escape(request)).append("\">\n")
        .append("<label>Username <input name=\"username\" autocomplete=\"username\" required autofocus></label>\n")
        .append("<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\n");
    if (secondFactor) {
      html.append("<label>One-time code <input name=\"otp\" inputmode=\"numeric\" autocomplete=\"one-time-code\"></label>\n")
          .append("<p class=\"hint\">A stronger login was asked for: enter the code of your second factor.</p>\n");
    }
    html.append("<button type=\"submit\">Sign in</button>\n</form>\n")
        .append("<p class=\"hint\">The demo's users are printed by <code>kgate demo</code>.</p>\n")
        .append("</main></body></html>\n");
    return html.toString();
  }

  /** A page that explains why the login cannot go on. */
  static String error(String message) {
    return head() + "<h1>This login cannot go on</h1>\n<p class=\"error\" role=\"alert\">" + escape(message)
        + "</p>\n</main></body></html>\n";
  }

  private static String head() {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>kgate demo sign-in</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; }
        main { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px;
               box-shadow: 0 1px 4px rgba(0,0,0,.15); }
        h1 { font-size: 1.3rem; margin-top: 0; }
        label { display: block; margin: .8rem 0; }
        input { display: block; width: 100%; box-sizing: border-box; padding: .45rem; margin-top: .25rem; }
        button { margin-top: 1rem; padding: .5rem 1.2rem; }
        .error { color: #b00020; }
        .hint { color: #555; font-size: .9rem; }
        </style></head><body><main>
        """;
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
