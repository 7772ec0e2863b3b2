package dev.kgate.cli.audit;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A horizontal stacked bar chart as inline SVG: one bar per row (a cluster, a user), split into
 * coloured segments (verbs, outcomes), the total at the end of each bar, and a legend. Drawn here
 * rather than by a script or a charting library so that the page needs nothing from the network
 * and runs no code. Every label goes through {@link Html#text}; a label too long for its column is
 * cut, with the whole of it in the row's tooltip.
 */
final class BarChart {

  /** One colour of the stack: a verb, an outcome. */
  record Series(String name, String color) {}

  /** One bar: its label and one value per series, in series order. */
  record Bar(String label, long[] values) {

    Bar {
      Objects.requireNonNull(label, "label");
      values = values.clone();
    }

    long total() {
      return Arrays.stream(values).sum();
    }
  }

  private static final int WIDTH = 760;
  private static final int LABEL_WIDTH = 210;
  private static final int VALUE_WIDTH = 64;
  private static final int TOP = 4;
  private static final int ROW = 26;
  private static final int BAR = 18;
  private static final int LEGEND_ROW = 22;
  private static final int LABEL_CHARS = 28;
  /** A rough width of one character of the 12px label font, to lay out the legend. */
  private static final int CHAR_WIDTH = 7;

  private BarChart() {}

  /** The chart; {@code title} is its accessible name. */
  static String svg(String title, List<Series> series, List<Bar> bars) {
    long max = Math.max(1, bars.stream().mapToLong(Bar::total).max().orElse(1));
    double scale = (double) (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / max;
    StringBuilder body = new StringBuilder(1024);
    int y = TOP;
    for (Bar bar : bars) {
      bar(body, series, bar, y, scale);
      y += ROW;
    }
    int height = legend(body, series, bars, y + 8);
    return "<svg class=\"chart\" role=\"img\" aria-label=\"" + Html.text(title) + "\" viewBox=\"0 0 " + WIDTH
        + " " + height + "\" width=\"" + WIDTH + "\" height=\"" + height + "\"><title>" + Html.text(title)
        + "</title>" + body + "</svg>";
  }

  private static void bar(StringBuilder svg, List<Series> series, Bar bar, int y, double scale) {
    svg.append("<g class=\"bar\"><title>").append(Html.text(bar.label() + ": " + bar.total())).append("</title>")
        .append("<text class=\"bar-label\" x=\"").append(LABEL_WIDTH - 8).append("\" y=\"").append(y + 13)
        .append("\" text-anchor=\"end\">").append(Html.text(cut(bar.label()))).append("</text>");
    long cumulative = 0;
    for (int i = 0; i < series.size(); i++) {
      long value = bar.values()[i];
      if (value == 0) {
        continue;
      }
      // Edges from running totals, so rounding leaves no gaps between segments.
      long from = Math.round(cumulative * scale);
      cumulative += value;
      long to = Math.max(from + 1, Math.round(cumulative * scale));
      svg.append("<rect x=\"").append(LABEL_WIDTH + from).append("\" y=\"").append(y)
          .append("\" width=\"").append(to - from).append("\" height=\"").append(BAR)
          .append("\" fill=\"").append(series.get(i).color()).append("\"><title>")
          .append(Html.text(bar.label() + ", " + series.get(i).name() + ": " + value)).append("</title></rect>");
    }
    svg.append("<text class=\"bar-value\" x=\"").append(LABEL_WIDTH + Math.round(cumulative * scale) + 6)
        .append("\" y=\"").append(y + 13).append("\">").append(bar.total()).append("</text></g>");
  }

  /** The series that have a value, in a row that wraps; returns the chart's height. */
  private static int legend(StringBuilder svg, List<Series> series, List<Bar> bars, int top) {
    svg.append("<g class=\"legend\">");
    int x = LABEL_WIDTH;
    int y = top;
    for (int i = 0; i < series.size(); i++) {
      int index = i;
      if (bars.stream().noneMatch(bar -> bar.values()[index] > 0)) {
        continue;
      }
      String name = cut(series.get(i).name());
      int width = 14 + name.length() * CHAR_WIDTH + 18;
      if (x + width > WIDTH && x > LABEL_WIDTH) {
        x = LABEL_WIDTH;
        y += LEGEND_ROW;
      }
      svg.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"10\" height=\"10\" fill=\"")
          .append(series.get(i).color()).append("\"/><text class=\"legend-label\" x=\"").append(x + 14)
          .append("\" y=\"").append(y + 9).append("\">").append(Html.text(name)).append("</text>");
      x += width;
    }
    svg.append("</g>");
    return y + LEGEND_ROW;
  }

  private static String cut(String label) {
    if (label.codePointCount(0, label.length()) <= LABEL_CHARS) {
      return label;
    }
    return label.substring(0, label.offsetByCodePoints(0, LABEL_CHARS - 1)) + "\u2026";
  }
}
