//===- CudaDriver.cpp - The "cuda" device driver --------------------------===//
#include "CudaDriver.h"

#include "CudaEngine.h"

namespace snnc {
namespace {

class CudaDriver final : public Driver {
public:
  std::string name() const override { return "cuda"; }
  Status available() const override { return cuda::deviceAvailable(); }
  StatusOr<std::unique_ptr<Engine>>
  instantiate(const Program &program,
              const DeviceOptions &options) const override {
    return cuda::makeCudaEngine(program, options);
  }
};

} // namespace

std::unique_ptr<Driver> makeCudaDriver() {
  return std::make_unique<CudaDriver>();
}

} // namespace snnc
