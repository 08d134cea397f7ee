//===- NirIsolate.cpp - Reading a NIR file with libhdf5 contained ---------===//
//
// A child process reads the file with the ordinary reader and reports over a
// pipe: the HDF5 path of every object before libhdf5 touches it, then the
// outcome. A child that dies without reporting an outcome (a signal, or a
// sanitizer's exit) crashed inside libhdf5, at the last object it named.
//
//===----------------------------------------------------------------------===//
#include "compiler/nir/Hdf5Util.h"
#include "compiler/nir/NirModel.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace snnc::nir {
namespace {

// Records on the pipe: one tag byte, a 4-byte length, the text.
constexpr char kObject = 'O', kOk = 'K', kError = 'E';

int reportFd = -1;

void writeAll(const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(reportFd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      _exit(3); // the parent is gone
    p += w;
    n -= size_t(w);
  }
}

void report(char tag, const std::string &text) {
  uint32_t n = uint32_t(text.size());
  char head[5] = {tag, char(n), char(n >> 8), char(n >> 16), char(n >> 24)};
  writeAll(head, sizeof head);
  writeAll(text.data(), text.size());
}

void reportObject(const std::string &obj) { report(kObject, obj); }

[[noreturn]] void child(const std::string &path, int fd) {
  reportFd = fd;
  // Die of the signal itself: a handler inherited from the parent (a
  // sanitizer's, a fuzzer's, an application's) would run on libhdf5's
  // broken state and could act as if the parent had crashed.
  for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL})
    std::signal(sig, SIG_DFL);
  // libhdf5's and a sanitizer's complaints would only repeat what the
  // parent reports.
  int null = ::open("/dev/null", O_WRONLY);
  if (null >= 0)
    ::dup2(null, STDERR_FILENO);
  detail::objectHook = reportObject;
  Document doc;
  std::string error;
  bool ok = readNirFile(path, doc, error);
  report(ok ? kOk : kError, error);
  // No exit handlers: libhdf5's would run on whatever state it is in.
  _exit(0);
}

std::string signalName(int sig) {
  switch (sig) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGABRT:
    return "SIGABRT";
  case SIGBUS:
    return "SIGBUS";
  case SIGFPE:
    return "SIGFPE";
  case SIGILL:
    return "SIGILL";
  default:
    return "signal " + std::to_string(sig);
  }
}

} // namespace

bool readNirFileIsolated(const std::string &path, Document &out,
                         std::string &error) {
  out = Document{};
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return readNirFile(path, out, error);
  pid_t pid = ::fork();
  if (pid < 0) { // no child: read without the guard rather than fail
    ::close(fds[0]);
    ::close(fds[1]);
    return readNirFile(path, out, error);
  }
  if (pid == 0) {
    ::close(fds[0]);
    child(path, fds[1]);
  }
  ::close(fds[1]);
  std::string buf, lastObject, childError;
  bool outcome = false, childOk = false;
  char chunk[4096];
  for (;;) {
    ssize_t r = ::read(fds[0], chunk, sizeof chunk);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    buf.append(chunk, size_t(r));
    size_t pos = 0;
    while (buf.size() - pos >= 5) {
      const auto *h = reinterpret_cast<const unsigned char *>(&buf[pos]);
      size_t n = size_t(h[1]) | size_t(h[2]) << 8 | size_t(h[3]) << 16 |
                 size_t(h[4]) << 24;
      if (buf.size() - pos - 5 < n)
        break;
      std::string text = buf.substr(pos + 5, n);
      if (h[0] == uint8_t(kObject))
        lastObject = std::move(text);
      else {
        outcome = true;
        childOk = h[0] == uint8_t(kOk);
        childError = std::move(text);
      }
      pos += 5 + n;
    }
    buf.erase(0, pos);
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (outcome && !childOk) {
    error = childError;
    return false;
  }
  if (!outcome) {
    // Under a sanitizer the child exits with its status instead of dying
    // of the signal.
    std::string how =
        WIFSIGNALED(status)
            ? signalName(WTERMSIG(status))
            : "exit status " + std::to_string(WEXITSTATUS(status));
    error = path + ": " + (lastObject.empty() ? "/" : lastObject) +
            ": libhdf5 crashed while reading this object (" + how +
            "): the file's HDF5 structures are corrupt (it was read in a "
            "separate process, so only that one failed); re-export the file";
    return false;
  }
  return readNirFile(path, out, error);
}

} // namespace snnc::nir
