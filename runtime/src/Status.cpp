#include "snnc/runtime/Status.h"

namespace snnc {

const char *statusCodeName(StatusCode code) {
  switch (code) {
  case StatusCode::kOk:
    return "ok";
  case StatusCode::kInvalidArgument:
    return "invalid-argument";
  case StatusCode::kNotFound:
    return "not-found";
  case StatusCode::kDataLoss:
    return "data-loss";
  case StatusCode::kUnavailable:
    return "unavailable";
  case StatusCode::kUnimplemented:
    return "unimplemented";
  case StatusCode::kFailedPrecondition:
    return "failed-precondition";
  case StatusCode::kInternal:
    return "internal";
  }
  return "unknown";
}

std::string Status::toString() const {
  if (isOk())
    return "ok";
  return std::string(statusCodeName(code_)) + ": " + message_;
}

} // namespace snnc
