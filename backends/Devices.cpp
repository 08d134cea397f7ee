//===- Devices.cpp - Device::open over the drivers built in
//-----------------===//
//
// The one place that knows every backend, so that the runtime itself never
// depends on one (backends depend on the runtime, not the reverse).
//
//===----------------------------------------------------------------------===//
#include "backends/cpu/CpuDriver.h"
#if SNNC_HAVE_CUDA
#include "backends/cuda/CudaDriver.h"
#endif
#if SNNC_HAVE_RTL
#include "backends/rtl/RtlDriver.h"
#endif
#include "snnc/runtime/Session.h"

namespace snnc {
namespace {

const std::vector<std::unique_ptr<Driver>> &drivers() {
  static const std::vector<std::unique_ptr<Driver>> all = [] {
    std::vector<std::unique_ptr<Driver>> v;
    v.push_back(makeCpuDriver());
#if SNNC_HAVE_CUDA
    v.push_back(makeCudaDriver());
#endif
#if SNNC_HAVE_RTL
    v.push_back(makeRtlDriver());
#endif
    return v;
  }();
  return all;
}

// Backends the design has that this build does not include (cuda: built
// only where nvcc was found; rtl: only where Verilator was found).
constexpr const char *kPlanned[] = {"cuda", "rtl"};

} // namespace

StatusOr<std::shared_ptr<Device>> Device::open(const std::string &name,
                                               const DeviceOptions &options) {
  if (options.threads < 0)
    return invalidArgument("thread count must be >= 0, got " +
                           std::to_string(options.threads));
  for (const auto &d : drivers())
    if (d->name() == name) {
      if (Status s = d->available(); !s)
        return s;
      return std::shared_ptr<Device>(new Device(name, d.get(), options));
    }
  for (const char *p : kPlanned)
    if (name == p)
      return unavailable("backend '" + name +
                         "' is not part of this build of the runtime");
  std::string known;
  for (const std::string &n : names())
    known += (known.empty() ? "" : ", ") + n;
  return notFound("unknown backend '" + name + "'; available: " + known);
}

std::vector<std::string> Device::names() {
  std::vector<std::string> out;
  for (const auto &d : drivers())
    out.push_back(d->name());
  return out;
}

} // namespace snnc
