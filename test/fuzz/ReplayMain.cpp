//===- ReplayMain.cpp - Run a fuzz target over files, without libFuzzer ---===//
//
// Built with any compiler, so the regression corpus (seeds and every input
// that once failed) runs in the ordinary and the sanitizer test suites:
//   <target>-replay FILE|DIR...
//
//===----------------------------------------------------------------------===//
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

int runFile(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", p.c_str());
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  int failures = 0, runs = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      std::vector<std::filesystem::path> files;
      for (const auto &e : std::filesystem::recursive_directory_iterator(arg))
        if (e.is_regular_file())
          files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (const auto &f : files) {
        failures += runFile(f);
        ++runs;
      }
    } else {
      failures += runFile(arg);
      ++runs;
    }
  }
  std::printf("replayed %d inputs\n", runs);
  if (runs == 0) {
    std::fprintf(stderr, "no inputs given\n");
    return 1;
  }
  return failures ? 1 : 0;
}
