package dev.kgate.cli.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a report page shows: the page as written, or the DOM Chromium serialized after
 * parsing it. The page puts logged values only in text, never in attributes, so stripping tags
 * leaves the text a reader sees. Each lookup fails loudly when its element is missing.
 */
final class ReportDom {

  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final Pattern ROW = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL);
  private static final Pattern CELL = Pattern.compile("<t[hd][^>]*>(.*?)</t[hd]>", Pattern.DOTALL);

  private final String html;

  ReportDom(String html) {
    this.html = html;
  }

  /** The section with this id ({@code summary}, {@code user-1}…). */
  ReportDom section(String id) {
    return new ReportDom(element("<section[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>", "</section>"));
  }

  /** The text of the element with this id. */
  String byId(String id) {
    Matcher start = Pattern.compile("<(\\w+)[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>").matcher(html);
    if (!start.find()) {
      throw new AssertionError("no element with id " + id);
    }
    int end = html.indexOf("</" + start.group(1) + ">", start.end());
    return text(html.substring(start.end(), end));
  }

  /** The text of the first element with this tag ({@code h2}). */
  String first(String tag) {
    return text(new ReportDom(element("<" + tag + "(\\s[^>]*)?>", "</" + tag + ">")).html);
  }

  /** The body rows of the table with this class, each as its cells' text. */
  List<List<String>> rows(String tableClass) {
    String table = element("<table class=\"" + Pattern.quote(tableClass) + "\">", "</table>");
    String body = table.substring(table.indexOf("<tbody>"));
    return cells(body);
  }

  /** The header labels of the table with this class. */
  List<String> header(String tableClass) {
    String table = element("<table class=\"" + Pattern.quote(tableClass) + "\">", "</table>");
    return cells(table.substring(0, table.indexOf("</thead>"))).get(0);
  }

  /** The texts of the SVG {@code <text>} elements of this class, in document order. */
  List<String> svgTexts(String textClass) {
    List<String> texts = new ArrayList<>();
    Matcher matcher = Pattern.compile("<text class=\"" + Pattern.quote(textClass) + "\"[^>]*>(.*?)</text>").matcher(html);
    while (matcher.find()) {
      texts.add(text(matcher.group(1)));
    }
    return texts;
  }

  /** All the text, tags removed and entities read. */
  String text() {
    return text(html);
  }

  String html() {
    return html;
  }

  private String element(String startPattern, String endTag) {
    Matcher start = Pattern.compile(startPattern).matcher(html);
    if (!start.find()) {
      throw new AssertionError("no element matching " + startPattern);
    }
    int end = html.indexOf(endTag, start.end());
    if (end < 0) {
      throw new AssertionError("element " + startPattern + " is not closed");
    }
    return html.substring(start.start(), end + endTag.length());
  }

  private static List<List<String>> cells(String rowsHtml) {
    List<List<String>> rows = new ArrayList<>();
    Matcher row = ROW.matcher(rowsHtml);
    while (row.find()) {
      List<String> cells = new ArrayList<>();
      Matcher cell = CELL.matcher(row.group(1));
      while (cell.find()) {
        cells.add(text(cell.group(1)));
      }
      rows.add(cells);
    }
    return rows;
  }

  private static String text(String fragment) {
    return TAG.matcher(fragment).replaceAll("")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&nbsp;", "\u00a0").replace("&amp;", "&").strip();
  }
}
