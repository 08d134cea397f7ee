//===- CpuDriver.cpp - The "cpu" device driver ----------------------------===//
#include "CpuDriver.h"

#include "CpuEngine.h"

namespace snnc {
namespace {

class CpuDriver final : public Driver {
public:
  std::string name() const override { return "cpu"; }
  Status available() const override { return Status::ok(); }
  StatusOr<std::unique_ptr<Engine>>
  instantiate(const Program &program,
              const DeviceOptions &options) const override {
    return cpu::makeCpuEngine(program, options);
  }
};

} // namespace

std::unique_ptr<Driver> makeCpuDriver() {
  return std::make_unique<CpuDriver>();
}

} // namespace snnc
