//===- npy-fixture.cpp - Writes small .npy inputs for the tool tests
//---------===//
//
// npy-fixture SHAPE VALUE OUT.npy   e.g. npy-fixture 100x1 0.2 in.npy
// A float32 array of SHAPE (dimensions joined by 'x'; "scalar" for rank 0)
// filled with VALUE, or with 0, 1, 2, ... when VALUE is "ramp".
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/Npy.h"

#include <iostream>
#include <sstream>

int main(int argc, char **argv) {
  if (argc != 4) {
    std::cerr << "usage: npy-fixture SHAPE VALUE|ramp OUT.npy\n";
    return 2;
  }
  std::vector<int64_t> shape;
  std::string spec = argv[1];
  if (spec != "scalar") {
    std::stringstream ss(spec);
    for (std::string d; std::getline(ss, d, 'x');)
      shape.push_back(std::stoll(d));
  }
  snnc::Tensor t(shape);
  std::string value = argv[2];
  for (size_t i = 0; i < t.data.size(); ++i)
    t.data[i] = value == "ramp" ? float(i) : std::stof(value);
  if (snnc::Status s = snnc::writeNpy(argv[3], t); !s) {
    std::cerr << "npy-fixture: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
