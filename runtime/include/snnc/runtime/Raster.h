//===- Raster.h - Spike rasters as SVG pictures -----------------*- C++ -*-===//
//
// A spike raster a person can read in a browser: one panel per track,
// stacked top to bottom, time in milliseconds along x (ticks and labels),
// neuron index along y (neuron 0 at the bottom), a short tick per spike,
// and above each panel the track's name, its total spike count and its
// size. Plain SVG 1.1 text; no fonts or scripts are embedded.
//
// Size limits: a panel is at most 870 x 300 pixels of plot area. When a
// track has more steps or neurons than that, spikes are binned into pixel
// cells (one mark per cell holding at least one spike) and the panel says
// so. Across all tracks at most 2,000,000 marks are drawn; past that the
// picture states how many were left out.
//
// Thread safety: no shared state. The file is written beside `path` and
// renamed over it, so a failure leaves no partial file.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_RASTER_H
#define SNNC_RUNTIME_RASTER_H

#include "snnc/runtime/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc {

struct RasterTrack {
  std::string name; ///< panel label, e.g. a node name
  int64_t neurons = 0;
  int64_t steps = 0;
  std::vector<uint8_t> spikes; ///< [steps][neurons]; nonzero = a spike
};

/// Maximum number of spike marks in one picture.
constexpr int64_t kRasterMaxMarks = 2'000'000;

/// The SVG text for `tracks`. `dt` is the step length in seconds (> 0);
/// `title` is drawn at the top (escaped, may be empty). kInvalidArgument
/// when there is no track or a track's sizes disagree with its data.
StatusOr<std::string> rasterSvg(const std::vector<RasterTrack> &tracks,
                                double dt, const std::string &title);

/// Writes rasterSvg(tracks, dt, title) to `path`.
Status writeRasterSvg(const std::string &path,
                      const std::vector<RasterTrack> &tracks, double dt,
                      const std::string &title);

} // namespace snnc

#endif // SNNC_RUNTIME_RASTER_H
