//===- RuleChecks.cpp - Per-population discretization rules (version 5) ---===//
//
// A population's own reset rule and the delta form. Both change how an
// engine updates the population, so a field on a kind that cannot use it,
// or missing where the discretization promises it, is refused rather than
// ignored.
//
//===----------------------------------------------------------------------===//
#include "ProgramChecks.h"

#include <cmath>

namespace snnc::check {
namespace {

bool leakyKind(snnb::NeuronKind k) {
  return k == snnb::NeuronKind::LIF || k == snnb::NeuronKind::LI ||
         k == snnb::NeuronKind::CubaLIF || k == snnb::NeuronKind::CubaLI;
}

} // namespace

Status populationRules(const snnb::Program &p, const snnb::Population &pop,
                       const std::string &where, const std::string &origin) {
  auto fail = [&](const std::string &what) { return corrupt(origin, what); };
  const snnb::Discretization &d = *p.discretization();
  const bool fixed = p.mode() == snnb::NumericMode::Fixed;
  const std::string version = std::to_string(p.schema_version());
  if (pop.reset() != snnb::PopulationReset::Network) {
    if (pop.reset() > snnb::PopulationReset::MAX)
      return fail(where + ": unknown reset rule " +
                  std::to_string(int(pop.reset())));
    if (p.schema_version() < 5)
      return fail(where +
                  ": field 'reset' needs schema version 5, the file "
                  "has version " +
                  version);
    if (pop.kind() != snnb::NeuronKind::LIF &&
        pop.kind() != snnb::NeuronKind::CubaLIF &&
        pop.kind() != snnb::NeuronKind::IF)
      return fail(where +
                  ": field 'reset' is a rule of LIF, CubaLIF and IF "
                  "populations, not of " +
                  snnb::EnumNameNeuronKind(pop.kind()));
  }
  if (d.delta_form()) {
    if (p.schema_version() < 5)
      return fail("discretization: field 'delta_form' needs schema version "
                  "5, the file has version " +
                  version);
    if (d.state_frac_bits() || d.multi_spike() || d.synapse_input_decays() ||
        d.if_lower_clamp())
      return fail("discretization.delta_form excludes state_frac_bits, "
                  "multi_spike, synapse_input_decays and if_lower_clamp");
  }
  const snnb::DeltaForm *delta = pop.delta();
  const bool wanted = d.delta_form() && !fixed && leakyKind(pop.kind());
  if (delta && !wanted)
    return fail(where + ": field 'delta' belongs to the LIF, LI, CubaLIF and "
                        "CubaLI populations of a float program whose "
                        "discretization sets delta_form");
  if (!wanted)
    return Status::ok();
  if (!delta)
    return fail(where + ": discretization.delta_form is set but the "
                        "population has no field 'delta'");
  const uint32_t n = pop.size();
  for (auto [v, name] : {std::pair{delta->k_mem(), "delta.k_mem"},
                         std::pair{delta->k_syn(), "delta.k_syn"},
                         std::pair{delta->r(), "delta.r"},
                         std::pair{delta->w_in(), "delta.w_in"},
                         std::pair{delta->v_leak(), "delta.v_leak"},
                         std::pair{delta->i_leak(), "delta.i_leak"}}) {
    if (!v || v->size() == 0)
      return fail(where + ": '" + name + "' is missing");
    if (v->size() != 1 && v->size() != n)
      return fail(where + ": '" + name + "' has " + std::to_string(v->size()) +
                  " values, expected 1 or " + std::to_string(n));
    for (uint32_t k = 0; k < v->size(); ++k)
      if (!std::isfinite(v->Get(k)))
        return fail(where + ": '" + name + "'[" + std::to_string(k) +
                    "] is not finite; every parameter must be finite");
  }
  return Status::ok();
}

} // namespace snnc::check
