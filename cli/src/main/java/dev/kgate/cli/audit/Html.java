package dev.kgate.cli.audit;

import java.util.List;

/**
 * Text from the log made safe to put in the report page. Usernames, resource names, URIs and
 * reasons are chosen by whoever sent the request or owns the token; unescaped, a name such as
 * {@code <script>…} or {@code "><img onerror=…>} would become markup in the reviewer's browser.
 * Every logged value goes through {@link #text}, in element content and in attribute values alike.
 * Control characters and the bidirectional overrides that could make one name look like another
 * are shown as visible escapes, as {@link TerminalText} does on a terminal.
 */
final class Html {

  private Html() {}

  /** {@code value} escaped for HTML text and double- or single-quoted attributes; null is empty. */
  static String text(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder html = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> html.append("&amp;");
        case '<' -> html.append("&lt;");
        case '>' -> html.append("&gt;");
        case '"' -> html.append("&quot;");
        case '\'' -> html.append("&#39;");
        default -> {
          if (Character.isISOControl(c)) {
            html.append(String.format("\\x%02x", (int) c));
          } else if (bidiControl(c)) {
            html.append(String.format("\\u%04x", (int) c));
          } else {
            html.append(c);
          }
        }
      }
    }
    return html.toString();
  }

  /**
   * A table; header labels are ours and written as they are, cells are HTML the caller built with
   * {@link #text}. The first column is a row header.
   */
  static void table(StringBuilder html, String cssClass, List<String> header, List<List<String>> rows) {
    html.append("<table class=\"").append(cssClass).append("\"><thead><tr>");
    for (String label : header) {
      html.append("<th scope=\"col\">").append(label).append("</th>");
    }
    html.append("</tr></thead><tbody>");
    for (List<String> row : rows) {
      html.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        html.append(i == 0 ? "<th scope=\"row\">" : "<td>").append(row.get(i)).append(i == 0 ? "</th>" : "</td>");
      }
      html.append("</tr>");
    }
    html.append("</tbody></table>\n");
  }

  private static boolean bidiControl(char c) {
    return c == '\u200e' || c == '\u200f' || c == '\u061c'
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
  }
}
