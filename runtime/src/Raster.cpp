//===- Raster.cpp - Spike raster SVG --------------------------------------===//
#include "snnc/runtime/Raster.h"

#include "IoUtil.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace snnc {
namespace {

// Geometry in SVG user units (pixels at 100% zoom).
constexpr double kWidth = 960;
constexpr double kLeft = 70, kRight = 20; // room for y tick labels
constexpr double kPlotW = kWidth - kLeft - kRight;
constexpr double kTitleH = 40;
constexpr double kLabelH = 26; // track name line above each panel
constexpr double kAxisH = 42;  // x ticks, labels and axis name below
constexpr double kGap = 14;
constexpr int64_t kMaxPlotH = 300;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  // "12.50" -> "12.5", "12.00" -> "12": the picture has millions of these.
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.')
    s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string escape(const std::string &s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      // Control characters are not allowed in XML 1.0 at all.
      out += (static_cast<unsigned char>(c) < 0x20 && c != '\t') ? ' ' : c;
    }
  }
  return out;
}

// A 1-2-5 step giving about `target` ticks over [0, range].
double niceStep(double range, int target) {
  if (!(range > 0))
    return 1;
  double raw = range / target;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double norm = raw / mag;
  return (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
}

struct Panel {
  int64_t plotH;      // pixels
  int64_t cols, rows; // cells; equal to steps/neurons unless binned
  int64_t spikeCount;
  bool binned;
};

Panel layout(const RasterTrack &t) {
  Panel p;
  p.plotH = std::clamp<int64_t>(t.neurons * 6, 60, kMaxPlotH);
  p.cols = std::min<int64_t>(t.steps, int64_t(kPlotW));
  p.rows = std::min<int64_t>(t.neurons, p.plotH);
  p.spikeCount = std::count_if(t.spikes.begin(), t.spikes.end(),
                               [](uint8_t s) { return s != 0; });
  p.binned = p.cols < t.steps || p.rows < t.neurons;
  return p;
}

void drawAxes(std::string &svg, const RasterTrack &t, const Panel &p,
              double top, double dtMs) {
  double bottom = top + double(p.plotH);
  svg += "<rect class=\"frame\" x=\"" + num(kLeft) + "\" y=\"" + num(top) +
         "\" width=\"" + num(kPlotW) + "\" height=\"" + num(double(p.plotH)) +
         "\"/>\n";
  double totalMs = double(t.steps) * dtMs;
  double step = niceStep(totalMs, 8);
  svg += "<g class=\"xaxis\">";
  for (int64_t i = 0; double(i) * step <= totalMs * (1 + 1e-9); ++i) {
    double x = kLeft + double(i) * step / totalMs * kPlotW;
    svg += "<line x1=\"" + num(x) + "\" y1=\"" + num(bottom) + "\" x2=\"" +
           num(x) + "\" y2=\"" + num(bottom + 5) + "\"/><text x=\"" + num(x) +
           "\" y=\"" + num(bottom + 18) + "\" text-anchor=\"middle\">" +
           label(double(i) * step) + "</text>";
  }
  svg += "<text x=\"" + num(kLeft + kPlotW / 2) + "\" y=\"" + num(bottom + 35) +
         "\" text-anchor=\"middle\">time (ms)</text></g>\n";

  // Neuron ticks sit at row centres, neuron 0 at the bottom.
  double rowH = double(p.plotH) / double(t.neurons);
  double nstep = std::max(1.0, niceStep(double(t.neurons - 1), 5));
  svg += "<g class=\"yaxis\">";
  for (int64_t i = 0; double(i) * nstep <= double(t.neurons - 1); ++i) {
    double n = double(i) * nstep;
    double y = bottom - (n + 0.5) * rowH;
    svg += "<line x1=\"" + num(kLeft - 5) + "\" y1=\"" + num(y) + "\" x2=\"" +
           num(kLeft) + "\" y2=\"" + num(y) + "\"/><text x=\"" +
           num(kLeft - 8) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" +
           label(n) + "</text>";
  }
  svg += "<text transform=\"translate(" + num(16) + " " +
         num(top + double(p.plotH) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">neuron</text></g>\n";
}

// Appends one mark per occupied cell; returns how many were drawn, never
// more than `budget`, and adds to `dropped` those past it.
int64_t drawMarks(std::string &svg, const RasterTrack &t, const Panel &p,
                  double top, int64_t budget, int64_t &dropped) {
  std::vector<bool> used(size_t(p.cols * p.rows), false);
  double cellW = kPlotW / double(p.cols),
         cellH = double(p.plotH) / double(p.rows);
  // A tick, not a filled bin: narrow so neighbouring spikes stay apart.
  double w = std::clamp(cellW * 0.6, 1.0, 3.0);
  double h = std::max(1.0, cellH * 0.8);
  int64_t drawn = 0;
  svg += "<path class=\"spikes\" d=\"";
  for (int64_t s = 0; s < t.steps; ++s) {
    const uint8_t *row = &t.spikes[size_t(s * t.neurons)];
    int64_t c = p.cols == t.steps
                    ? s
                    : std::min(p.cols - 1, int64_t(double(s) * double(p.cols) /
                                                   double(t.steps)));
    for (int64_t n = 0; n < t.neurons; ++n) {
      if (!row[n])
        continue;
      int64_t r =
          p.rows == t.neurons
              ? n
              : std::min(p.rows - 1, int64_t(double(n) * double(p.rows) /
                                             double(t.neurons)));
      size_t cell = size_t(c * p.rows + r);
      if (used[cell])
        continue;
      used[cell] = true;
      if (drawn == budget) {
        ++dropped;
        continue;
      }
      ++drawn;
      double x = kLeft + (double(c) + 0.5) * cellW - w / 2;
      double y = top + double(p.plotH) - (double(r) + 0.5) * cellH - h / 2;
      svg += "M" + num(x) + " " + num(y) + "h" + num(w) + "v" + num(h) + "h-" +
             num(w) + "z";
    }
  }
  svg += "\"/>\n";
  return drawn;
}

} // namespace

StatusOr<std::string> rasterSvg(const std::vector<RasterTrack> &tracks,
                                double dt, const std::string &title) {
  if (tracks.empty())
    return invalidArgument("raster: no tracks to draw");
  if (!(dt > 0) || !std::isfinite(dt))
    return invalidArgument("raster: dt must be a positive number of seconds");
  std::vector<Panel> panels;
  double height = kTitleH;
  for (const RasterTrack &t : tracks) {
    if (t.neurons <= 0 || t.steps <= 0)
      return invalidArgument("raster: track '" + t.name + "' has " +
                             std::to_string(t.neurons) + " neurons and " +
                             std::to_string(t.steps) +
                             " steps; both must be positive");
    int64_t n = detail::checkedElementCount(
        {t.steps, t.neurons}, std::numeric_limits<int64_t>::max());
    if (n < 0 || uint64_t(n) != t.spikes.size())
      return invalidArgument(
          "raster: track '" + t.name + "' holds " +
          std::to_string(t.spikes.size()) + " values, [steps, neurons] = [" +
          std::to_string(t.steps) + ", " + std::to_string(t.neurons) +
          "] needs " + std::to_string(n));
    panels.push_back(layout(t));
    height += kLabelH + double(panels.back().plotH) + kAxisH + kGap;
  }

  std::string svg =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" +
      num(kWidth) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " +
      num(kWidth) + " " + num(height) +
      "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<style>.frame{fill:none;stroke:#444}.xaxis line,.yaxis line{stroke:"
      "#444}.spikes{fill:#1f4e9c}.note{fill:#b00}</style>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"" +
      num(kWidth / 2) +
      "\" y=\"26\" text-anchor=\"middle\" font-size=\"16\" "
      "font-weight=\"bold\">" +
      escape(title) + "</text>\n";

  double top = kTitleH, dtMs = dt * 1000;
  int64_t budget = kRasterMaxMarks, dropped = 0;
  for (size_t i = 0; i < tracks.size(); ++i) {
    const RasterTrack &t = tracks[i];
    const Panel &p = panels[i];
    svg += "<g class=\"track\">\n<text x=\"" + num(kLeft) + "\" y=\"" +
           num(top + 17) + "\" font-weight=\"bold\">" + escape(t.name) +
           "</text><text x=\"" + num(kWidth - kRight) + "\" y=\"" +
           num(top + 17) + "\" text-anchor=\"end\">" +
           std::to_string(p.spikeCount) + " spikes, " +
           std::to_string(t.neurons) + " neurons x " + std::to_string(t.steps) +
           " steps</text>\n";
    double plotTop = top + kLabelH;
    drawAxes(svg, t, p, plotTop, dtMs);
    budget -= drawMarks(svg, t, p, plotTop, budget, dropped);
    if (p.binned)
      svg += "<text class=\"note\" x=\"" + num(kLeft + kPlotW / 2) + "\" y=\"" +
             num(top + 17) +
             "\" text-anchor=\"middle\">binned: a mark per cell of up to " +
             std::to_string((t.steps + p.cols - 1) / p.cols) + " steps x " +
             std::to_string((t.neurons + p.rows - 1) / p.rows) +
             " neurons</text>\n";
    svg += "</g>\n";
    top = plotTop + double(p.plotH) + kAxisH + kGap;
  }
  if (dropped > 0)
    svg += "<text class=\"note\" x=\"" + num(kWidth - kRight) +
           "\" y=\"26\" text-anchor=\"end\">" + std::to_string(dropped) +
           " marks not drawn (cap " + std::to_string(kRasterMaxMarks) +
           ")</text>\n";
  return svg + "</svg>\n";
}

Status writeRasterSvg(const std::string &path,
                      const std::vector<RasterTrack> &tracks, double dt,
                      const std::string &title) {
  StatusOr<std::string> svg = rasterSvg(tracks, dt, title);
  if (!svg)
    return svg.status();
  return detail::writeFileAtomically(path, *svg);
}

} // namespace snnc
