//===- TraceCheck.cpp - An FST trace opens as GTKWave reads it ------------===//
//
// rtl-trace-check FILE.fst MIN_TIME: opens the trace with the FST reader
// GTKWave uses (fstapi, shipped with Verilator), and requires the chip's
// clock, host bus and monitor signals and an end time of at least
// MIN_TIME. Exit 0 when they are there.
//
//===----------------------------------------------------------------------===//
#include "gtkwave/fstapi.h"

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: rtl-trace-check FILE.fst MIN_TIME\n");
    return 2;
  }
  void *ctx = fstReaderOpen(argv[1]);
  if (!ctx) {
    std::fprintf(stderr, "rtl-trace-check: %s: not an FST file\n", argv[1]);
    return 1;
  }
  const uint64_t end = fstReaderGetEndTime(ctx);
  const uint64_t vars = fstReaderGetVarCount(ctx);
  std::set<std::string> names;
  while (const fstHier *h = fstReaderIterateHier(ctx))
    if (h->htyp == FST_HT_VAR) {
      // Names carry their range ("host_addr_i [31:0]", "mon_neuron_o[0]").
      std::string n(h->u.var.name, h->u.var.name_length);
      names.insert(n.substr(0, n.find_first_of(" [")));
    }
  fstReaderClose(ctx);
  int bad = 0;
  for (const char *want : {"clk_i", "host_addr_i", "busy_o", "mon_valid_o"})
    if (!names.count(want)) {
      std::fprintf(stderr, "rtl-trace-check: %s: no signal '%s'\n", argv[1],
                   want);
      bad = 1;
    }
  const uint64_t minTime = std::strtoull(argv[2], nullptr, 10);
  if (end < minTime) {
    std::fprintf(stderr,
                 "rtl-trace-check: %s: ends at %llu, expected >= %llu\n",
                 argv[1], (unsigned long long)end, (unsigned long long)minTime);
    bad = 1;
  }
  std::printf("rtl-trace-check: %s: %llu variables, time 0..%llu\n", argv[1],
              (unsigned long long)vars, (unsigned long long)end);
  return bad;
}
