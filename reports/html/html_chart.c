/* html_chart.c - the HTML report's trend chart: open, new and fixed findings per run
 * as an inline SVG line chart (no script, generic fonts only). */
#include "reports/html/html.h"

#include <inttypes.h>

#define CHART_W 760
#define CHART_H 260
#define LEFT 52
#define RIGHT 16
#define TOP 34
#define BOTTOM 34
#define MAX_XLABELS 12

/* The series, in the order they are drawn; the colours are the chart's alone (the
 * report's test looks for them in a screenshot). */
static const struct {
  const char *name, *label, *color;
} series[] = {
    {"open", "open", "#2f6fde"},
    {"new", "new", "#e8590c"},
    {"fixed", "fixed", "#2b8a3e"},
};

static int64_t value(const lx_html_point *p, int s) { return s == 0 ? p->open : s == 1 ? p->fresh : p->fixed; }

/* A step of 1, 2 or 5 times a power of ten that divides [0, max] in at most 5 parts. */
static int64_t tick_step(int64_t max)
{
  int64_t step = 1;
  for (;;) {
    for (int m = 0; m < 3; m++) {
      int64_t s = step * (m == 0 ? 1 : m == 1 ? 2 : 5);
      if (max / s <= 5)
        return s;
    }
    step *= 10;
  }
}

static double x_of(size_t i, size_t n)
{
  double w = CHART_W - LEFT - RIGHT;
  return n < 2 ? LEFT + w / 2 : LEFT + w * (double)i / (double)(n - 1);
}

static double y_of(int64_t v, int64_t top)
{
  double h = CHART_H - TOP - BOTTOM;
  return TOP + h - h * (double)v / (double)top;
}

void lx_html_trend_svg(FILE *out, const lx_html_point *p, size_t n)
{
  int64_t max = 1;
  for (size_t i = 0; i < n; i++)
    for (int s = 0; s < 3; s++)
      if (value(&p[i], s) > max)
        max = value(&p[i], s);
  int64_t step = tick_step(max);
  int64_t top = (max + step - 1) / step * step;
  fprintf(out, "<svg class=\"trend\" role=\"img\" aria-labelledby=\"trend-title\" viewBox=\"0 0 %d %d\" "
               "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n"
               "<title id=\"trend-title\">Open, new and fixed findings per run</title>\n",
          CHART_W, CHART_H, CHART_W, CHART_H);
  for (int64_t v = 0; v <= top; v += step) {
    double y = y_of(v, top);
    fprintf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d8dee4\"/>"
                 "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#57606a\">%" PRId64 "</text>\n",
            LEFT, y, CHART_W - RIGHT, y, LEFT - 6, y + 4, v);
  }
  size_t every = n > MAX_XLABELS ? (n + MAX_XLABELS - 1) / MAX_XLABELS : 1;
  for (size_t i = 0; i < n; i++)
    if (i % every == 0 || i + 1 == n)
      fprintf(out, "<text class=\"xlabel\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#57606a\">#%" PRId64
                   "</text>\n",
              x_of(i, n), CHART_H - BOTTOM + 18, p[i].run);
  for (int s = 2; s >= 0; s--) { /* open drawn last, on top */
    double lx = CHART_W - RIGHT - 3 * 90 + s * 90;
    fprintf(out, "<rect x=\"%.0f\" y=\"8\" width=\"14\" height=\"14\" rx=\"2\" fill=\"%s\"/>"
                 "<text x=\"%.0f\" y=\"19\" fill=\"#24292f\">%s</text>\n",
            lx, series[s].color, lx + 20, series[s].label);
    fprintf(out, "<polyline class=\"series series-%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"3\" "
                 "stroke-linejoin=\"round\" points=\"",
            series[s].name, series[s].color);
    for (size_t i = 0; i < n; i++)
      fprintf(out, "%s%.1f,%.1f", i ? " " : "", x_of(i, n), y_of(value(&p[i], s), top));
    fputs("\"/>\n", out);
    for (size_t i = 0; i < n; i++) {
      fprintf(out, "<circle class=\"point point-%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>run %" PRId64
                   " (",
              series[s].name, x_of(i, n), y_of(value(&p[i], s), top), series[s].color, p[i].run);
      lx_html_esc(out, p[i].started_at, (size_t)-1);
      fprintf(out, "): %" PRId64 " %s</title></circle>\n", value(&p[i], s), series[s].label);
    }
  }
  fputs("</svg>\n", out);
}
