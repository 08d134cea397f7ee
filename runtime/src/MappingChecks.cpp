//===- MappingChecks.cpp - Checks of the artifact's mapping table ---------===//
//
// See MappingChecks.h.
//
//===----------------------------------------------------------------------===//
#include "MappingChecks.h"
#include "ProgramChecks.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

namespace snnc::check {
namespace {

std::string str(const flatbuffers::String *s) {
  return s ? s->str() : std::string();
}

} // namespace

Status mappingTable(const snnb::Program &p, const std::string &origin) {
  const snnb::Mapping *m = p.mapping();
  if (!m)
    return Status::ok();
  auto bad = [&](const std::string &what) {
    return corrupt(origin, "mapping: " + what);
  };
  if (p.schema_version() < 4)
    return bad("present in a schema version " +
               std::to_string(p.schema_version()) +
               " file (mappings came with version 4)");
  const uint32_t w = m->mesh_width(), h = m->mesh_height(),
                 per = m->cores_per_chip();
  if (w == 0 || h == 0 || per == 0 || w > kMaxMeshSide || h > kMaxMeshSide ||
      per > kMaxCoresPerChip)
    return bad("target '" + str(m->target()) + "' has a " + std::to_string(w) +
               "x" + std::to_string(h) + " mesh of " + std::to_string(per) +
               " cores per chip (each must be 1 to 4096)");
  const uint32_t chips = m->chips() ? m->chips()->size() : 0;
  std::set<std::pair<uint32_t, uint32_t>> at;
  for (uint32_t c = 0; c < chips; ++c) {
    const snnb::Chip *chip = m->chips()->Get(c);
    const std::string label = "chip " + std::to_string(c) + " at (" +
                              std::to_string(chip->x()) + ", " +
                              std::to_string(chip->y()) + ")";
    if (chip->x() >= w || chip->y() >= h)
      return bad(label + " is outside the " + std::to_string(w) + "x" +
                 std::to_string(h) + " mesh");
    if (!at.insert({chip->x(), chip->y()}).second)
      return bad(label + ": another chip is at that position");
    if (chip->routes())
      for (uint32_t e = 0; e < chip->routes()->size(); ++e) {
        const snnb::RouteEntry *r = chip->routes()->Get(e);
        const std::string entry =
            label + ", routing entry " + std::to_string(e);
        if (r->key() & ~r->mask())
          return bad(entry + ": key bits outside the mask");
        if (r->links() >> 4)
          return bad(entry + ": links " + std::to_string(r->links()) +
                     " name a link other than the mesh's 4");
        if (r->cores())
          for (uint32_t core : *r->cores())
            if (core >= per)
              return bad(entry + ": core position " + std::to_string(core) +
                         " on a chip of " + std::to_string(per));
      }
  }
  const uint32_t pops = p.populations()->size();
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> ranges(pops);
  std::set<std::pair<uint32_t, uint32_t>> placed;
  const uint32_t cores = m->cores() ? m->cores()->size() : 0;
  for (uint32_t c = 0; c < cores; ++c) {
    const snnb::Core *core = m->cores()->Get(c);
    const std::string label = "core " + std::to_string(c);
    if (core->id() != c)
      return bad(label + " has id " + std::to_string(core->id()) +
                 " (cores are stored by id)");
    if (core->chip() >= chips || core->index() >= per)
      return bad(label + " is on chip " + std::to_string(core->chip()) +
                 ", position " + std::to_string(core->index()) +
                 ", outside the " + std::to_string(chips) +
                 " chip(s) in use or the " + std::to_string(per) +
                 " cores per chip");
    if (!placed.insert({core->chip(), core->index()}).second)
      return bad(label + ": another core is at chip " +
                 std::to_string(core->chip()) + ", position " +
                 std::to_string(core->index()));
    if (core->key() & ~core->mask())
      return bad(label + ": routing key bits outside its mask");
    uint64_t held = 0;
    if (core->slices())
      for (const snnb::CoreSlice *s : *core->slices()) {
        if (s->population() >= pops)
          return bad(label + " holds population " +
                     std::to_string(s->population()) + " of " +
                     std::to_string(pops));
        const snnb::Population *pop = p.populations()->Get(s->population());
        if (s->lo() >= s->hi() || s->hi() > pop->size())
          return bad(label + " holds neurons [" + std::to_string(s->lo()) +
                     ", " + std::to_string(s->hi()) + ") of '" +
                     str(pop->name()) + "', which has " +
                     std::to_string(pop->size()));
        ranges[s->population()].push_back({s->lo(), s->hi()});
        held += s->hi() - s->lo();
      }
    // Neuron j of the core sends key | j: the mask's free bits count them.
    const uint64_t room = uint64_t(~core->mask()) + 1;
    if (held > room)
      return bad(label + " holds " + std::to_string(held) +
                 " neurons but its mask leaves room for " +
                 std::to_string(room) + " routing keys");
  }
  for (uint32_t i = 0; i < pops; ++i) {
    auto &r = ranges[i];
    std::sort(r.begin(), r.end());
    const snnb::Population *pop = p.populations()->Get(i);
    uint32_t next = 0;
    for (auto [lo, hi] : r) {
      if (lo < next)
        return bad("population '" + str(pop->name()) + "': neurons [" +
                   std::to_string(lo) + ", " +
                   std::to_string(std::min(next, hi)) + ") are on two cores");
      if (lo > next)
        break;
      next = hi;
    }
    if (next != pop->size())
      return bad("population '" + str(pop->name()) + "': neuron " +
                 std::to_string(next) + " is on no core");
  }
  return Status::ok();
}

} // namespace snnc::check
