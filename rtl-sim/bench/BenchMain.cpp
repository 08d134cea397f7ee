//===- BenchMain.cpp - Runs one snncore RTL bench by name -----------------===//
#include "Bench.h"

#include <cstring>

int main(int argc, char **argv) {
  struct Entry {
    const char *name;
    int (*run)();
  } benches[] = {{"neuron", snncore::neuronBench},
                 {"synapse", snncore::synapseBench},
                 {"router", snncore::routerBench},
                 {"chip", snncore::chipBench},
                 {"poisson", snncore::poissonBench}};
  if (argc == 2)
    for (const Entry &e : benches)
      if (std::strcmp(argv[1], e.name) == 0)
        return e.run();
  std::fprintf(
      stderr,
      "usage: snncore-benches neuron|synapse|router|chip|poisson (got %s)\n",
      argc >= 2 ? argv[1] : "no bench name");
  return 2;
}
