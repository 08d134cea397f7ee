//===- Status.h - Status and StatusOr for the runtime API -------*- C++ -*-===//
//
// The runtime's public API never throws: every fallible call returns a
// Status (or a StatusOr<T> carrying a value). A Status is cheap to copy when
// ok and carries a code plus a message that names what was wrong and where.
// Thread safety: plain values, no shared state.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_STATUS_H
#define SNNC_RUNTIME_STATUS_H

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace snnc {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    ///< the caller passed something malformed
  kNotFound,           ///< a named input, output, file or device does not exist
  kDataLoss,           ///< a file is truncated or corrupt
  kUnavailable,        ///< a device cannot run here (e.g. no GPU)
  kUnimplemented,      ///< a feature this build does not support
  kFailedPrecondition, ///< the call is valid but not in this state
  kInternal,           ///< a bug in snnc
};

/// Stable lowercase name of a code, e.g. "invalid-argument".
const char *statusCodeName(StatusCode code);

class [[nodiscard]] Status {
public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status ok() { return Status(); }
  bool isOk() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return isOk(); }
  StatusCode code() const { return code_; }
  const std::string &message() const { return message_; }
  /// "invalid-argument: <message>", or "ok".
  std::string toString() const;

private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status invalidArgument(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status notFound(std::string m) {
  return Status(StatusCode::kNotFound, std::move(m));
}
inline Status dataLoss(std::string m) {
  return Status(StatusCode::kDataLoss, std::move(m));
}
inline Status unavailable(std::string m) {
  return Status(StatusCode::kUnavailable, std::move(m));
}

/// A value or the Status explaining why there is none.
template <typename T> class [[nodiscard]] StatusOr {
public:
  StatusOr(T value) : value_(std::move(value)) {}
  StatusOr(Status status) : status_(std::move(status)) {
    // An ok Status without a value would be a lie to the caller.
    if (status_.isOk())
      status_ = Status(StatusCode::kInternal, "StatusOr built from ok Status");
  }
  bool isOk() const { return value_.has_value(); }
  explicit operator bool() const { return isOk(); }
  const Status &status() const { return status_; }
  T &value() & {
    assert(isOk());
    return *value_;
  }
  const T &value() const & {
    assert(isOk());
    return *value_;
  }
  T &&value() && {
    assert(isOk());
    return std::move(*value_);
  }
  T *operator->() { return &value(); }
  T &operator*() { return value(); }

private:
  Status status_;
  std::optional<T> value_;
};

} // namespace snnc

#endif // SNNC_RUNTIME_STATUS_H
