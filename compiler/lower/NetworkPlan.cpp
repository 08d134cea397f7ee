//===- NetworkPlan.cpp - Names and counts of the plan's pieces ------------===//
#include "compiler/lower/NetworkPlan.h"

namespace snnc {

const char *popKindName(PopKind k) {
  static const char *const names[] = {
      "source",    "relay",        "lif",           "cuba_lif",
      "if",        "li",           "cuba_li",       "integrator",
      "threshold", "receptor_lif", "poisson_source"};
  return names[int(k)];
}

const char *popKindId(PopKind k) {
  static const char *const names[] = {
      "Source", "Relay",      "LIF",       "CubaLIF",     "IF",           "LI",
      "CubaLI", "Integrator", "Threshold", "ReceptorLIF", "PoissonSource"};
  return names[int(k)];
}

bool popKindFromId(const std::string &id, PopKind &kind) {
  for (int k = 0; k <= int(PopKind::PoissonSource); ++k)
    if (id == popKindId(PopKind(k))) {
      kind = PopKind(k);
      return true;
    }
  return false;
}

bool isSpiking(PopKind k) {
  return k == PopKind::LIF || k == PopKind::CubaLIF || k == PopKind::IF ||
         k == PopKind::Threshold || k == PopKind::ReceptorLIF ||
         k == PopKind::PoissonSource;
}

bool isCurrentBased(PopKind k) {
  return k == PopKind::CubaLIF || k == PopKind::CubaLI;
}

int64_t PlanProjection::synapses() const {
  switch (kind) {
  case Dense:
  case Conv:
    return int64_t(weights.size());
  case Sparse:
    return int64_t(targets.size());
  case Pool:
    return kernelShape.empty() ? 0 : kernelShape[0] * kernelShape[1];
  case Procedural:
    return expectedSynapses;
  }
  return 0;
}

} // namespace snnc
