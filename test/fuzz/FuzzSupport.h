//===- FuzzSupport.h - Shared pieces of the fuzz targets --------*- C++ -*-===//
//
// The readers under test take file paths, so each input goes through a
// private temporary file.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TEST_FUZZ_FUZZSUPPORT_H
#define SNNC_TEST_FUZZ_FUZZSUPPORT_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace snnc::fuzz {

/// A temporary file holding one input; removed when destroyed.
class TempFile {
public:
  TempFile(const uint8_t *data, size_t size, const char *suffix) {
    const char *dir = std::getenv("TMPDIR");
    path_ = std::string(dir && *dir ? dir : "/tmp") + "/snnc-fuzz-" +
            std::to_string(::getpid()) + suffix;
    if (FILE *f = std::fopen(path_.c_str(), "wb")) {
      ok_ = std::fwrite(data, 1, size, f) == size;
      ok_ = std::fclose(f) == 0 && ok_;
    }
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile &) = delete;
  TempFile &operator=(const TempFile &) = delete;
  const std::string &path() const { return path_; }
  bool ok() const { return ok_; }

private:
  std::string path_;
  bool ok_ = false;
};

/// A message that is empty or lacks the file's name breaks the contract
/// that every error says where: treat it as a finding.
inline void requireNamed(const std::string &message, const std::string &path) {
  if (message.empty() || message.find(path) == std::string::npos) {
    std::fprintf(stderr, "error message does not name the file: '%s'\n",
                 message.c_str());
    std::abort();
  }
}

} // namespace snnc::fuzz

#endif // SNNC_TEST_FUZZ_FUZZSUPPORT_H
