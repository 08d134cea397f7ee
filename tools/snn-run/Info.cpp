//===- Info.cpp - snn-run --info: what an artifact holds ------------------===//
//
// See Info.h.
//
//===----------------------------------------------------------------------===//
#include "Info.h"

#include "snnc/schema/snnb_generated.h"

#include <string>

namespace snnc::snnrun {
namespace {

std::string str(const flatbuffers::String *s) {
  return s ? s->str() : std::string();
}

std::string hex(uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4)
    out += digits[(v >> shift) & 15];
  return out;
}

const char *connectivity(snnb::Connectivity c) {
  switch (c) {
  case snnb::Connectivity::Dense:
    return "dense";
  case snnb::Connectivity::Sparse:
    return "sparse";
  case snnb::Connectivity::Conv:
    return "conv";
  case snnb::Connectivity::Pool:
    return "pool";
  case snnb::Connectivity::Procedural:
    return "procedural";
  default:
    return "none";
  }
}

void printMapping(const snnb::Program &p, std::ostream &os) {
  const snnb::Mapping *m = p.mapping();
  if (!m) {
    os << "mapping: none (compile with snnc --target to map it onto cores)\n";
    return;
  }
  const uint32_t chips = m->chips() ? m->chips()->size() : 0;
  const uint32_t cores = m->cores() ? m->cores()->size() : 0;
  os << "mapping: target '" << str(m->target()) << "' (" << m->mesh_width()
     << "x" << m->mesh_height() << " chips of " << m->cores_per_chip()
     << " cores): " << cores << " core(s) on " << chips << " chip(s)\n";
  for (uint32_t c = 0; c < cores; ++c) {
    const snnb::Core *core = m->cores()->Get(c);
    const snnb::Chip *chip = m->chips()->Get(core->chip());
    os << "  core " << c << " (" << chip->x() << "," << chip->y()
       << "):" << core->index() << "  key " << hex(core->key()) << " mask "
       << hex(core->mask()) << "  synapses " << core->synapses() << "  fan-in "
       << core->fan_in() << "  fan-out " << core->fan_out() << "  holds";
    const char *sep = " ";
    if (core->slices())
      for (const snnb::CoreSlice *s : *core->slices()) {
        os << sep << str(p.populations()->Get(s->population())->name()) << "["
           << s->lo() << ":" << s->hi() << "]";
        sep = ", ";
      }
    os << "\n";
  }
  for (uint32_t c = 0; c < chips; ++c) {
    const snnb::Chip *chip = m->chips()->Get(c);
    const uint32_t n = chip->routes() ? chip->routes()->size() : 0;
    os << "  router (" << chip->x() << "," << chip->y() << "): " << n
       << " entries (" << chip->entries_before_compression()
       << " before compression)\n";
    for (uint32_t e = 0; e < n; ++e) {
      const snnb::RouteEntry *r = chip->routes()->Get(e);
      os << "    key " << hex(r->key()) << " mask " << hex(r->mask())
         << " -> links";
      if (r->links() == 0)
        os << " none";
      static const char *const names[] = {"+x", "+y", "-x", "-y"};
      for (int l = 0; l < 4; ++l)
        if (r->links() >> l & 1)
          os << " " << names[l];
      os << ", cores";
      if (!r->cores() || r->cores()->size() == 0)
        os << " none";
      else
        for (uint32_t core : *r->cores())
          os << " " << core;
      os << "\n";
    }
  }
}

} // namespace

void printInfo(const Program &program, std::ostream &os) {
  const snnb::Program &p = program.fb();
  os << "artifact: " << program.origin() << "\n"
     << "network: " << str(p.network()) << " (" << str(p.producer())
     << ", schema version " << p.schema_version() << ")\n"
     << "mode: " << (p.mode() == snnb::NumericMode::Fixed ? "fixed" : "float")
     << ", profile " << program.profile() << ", dt " << program.dt() << " s\n";
  // The rules a profile may set (schema versions 4 and 5,
  // docs/discretization.md §6).
  const snnb::Discretization &d = *p.discretization();
  std::string rules;
  if (d.state_frac_bits())
    rules += ", integer states of 2^-" + std::to_string(d.state_frac_bits());
  if (d.multi_spike())
    rules += ", multi-spike";
  if (d.synapse_input_decays())
    rules += ", I = alpha*(I + x)";
  if (d.if_lower_clamp())
    rules += ", IF v >= -threshold";
  if (d.delta_form())
    rules += ", delta form";
  if (!rules.empty())
    os << "rules: " << rules.substr(2) << "\n";
  os << "populations (" << p.populations()->size() << "):\n";
  for (const snnb::Population *pop : *p.populations())
    os << "  " << str(pop->name()) << ": "
       << snnb::EnumNameNeuronKind(pop->kind()) << " x" << pop->size()
       << (pop->first_bias() ? ", bias from step 1 (step 0: first_bias)" : "")
       << (pop->reset() == snnb::PopulationReset::Subtract
               ? ", resets by subtraction (its own rule)"
           : pop->reset() == snnb::PopulationReset::ToReset
               ? ", resets to v_reset (its own rule)"
               : "")
       << "\n";
  const uint32_t projections = p.projections() ? p.projections()->size() : 0;
  os << "projections (" << projections << "):\n";
  for (uint32_t i = 0; i < projections; ++i) {
    const snnb::Projection *pr = p.projections()->Get(i);
    os << "  " << str(pr->name()) << ": "
       << str(p.populations()->Get(pr->source())->name()) << " -> "
       << str(p.populations()->Get(pr->target())->name()) << ", "
       << connectivity(pr->connectivity_type()) << "\n";
  }
  for (const auto &[label, ports] :
       {std::pair{"inputs", &program.inputs()},
        std::pair{"outputs", &program.outputs()}}) {
    os << label << ":";
    if (ports->empty())
      os << " none";
    for (const PortInfo &port : *ports)
      os << " " << port.name;
    os << "\n";
  }
  printMapping(p, os);
}

} // namespace snnc::snnrun
