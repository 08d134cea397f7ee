//===- MappingArtifactTest.cpp - The artifact's mapping table on load -----===//
//
// A mapped artifact (schema version 4) loads when its mapping is sound and
// is refused, naming the chip, core or population, for each way the table
// can be wrong: every neuron must be on exactly one core, cores and chips
// where the target has room, keys inside their masks.
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/ArtifactSeal.h"
#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <gtest/gtest.h>

using namespace snnc;

namespace {

struct Slice {
  uint32_t population, lo, hi;
};
struct CoreSpec {
  uint32_t chip = 0, index = 0;
  std::vector<Slice> slices;
  uint32_t key = 0, mask = 0xffffff00u;
  uint32_t id = UINT32_MAX; ///< default: its position
};
struct RouteSpec {
  uint32_t key = 0, mask = 0, links = 0;
  std::vector<uint32_t> cores{0};
};
struct ChipSpec {
  uint32_t x = 0, y = 0;
  std::vector<RouteSpec> routes{RouteSpec{}};
};
struct Knobs {
  uint32_t version = kSnnbSchemaVersion;
  uint32_t meshWidth = 2, meshHeight = 2, coresPerChip = 4;
  std::vector<ChipSpec> chips{ChipSpec{}};
  // input (2 neurons) and lif (3) on two cores of chip 0.
  std::vector<CoreSpec> cores{
      CoreSpec{0, 0, {{0, 0, 2}, {1, 0, 1}}, 0x000, 0xffffff00u},
      CoreSpec{0, 1, {{1, 1, 3}}, 0x100, 0xffffff00u}};
  bool mapped = true;
};

std::vector<uint8_t> artifact(const Knobs &k = {}) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<int64_t> inShape{2}, lifShape{3};
  std::vector<float> one{1.0f}, beta{0.9f}, th{0.5f}, w(6, 0.25f);
  std::vector<flatbuffers::Offset<snnb::Population>> pops{
      snnb::CreatePopulationDirect(b, "input", snnb::NeuronKind::Source,
                                   &inShape, 2),
      snnb::CreatePopulationDirect(b, "lif", snnb::NeuronKind::LIF, &lifShape,
                                   3, nullptr, &beta, &one, &one, nullptr,
                                   nullptr, nullptr, &th)};
  auto dense = snnb::CreateDenseDirect(b, &w);
  std::vector<flatbuffers::Offset<snnb::Projection>> projs{
      snnb::CreateProjectionDirect(b, "fc", 0, 1, snnb::Connectivity::Dense,
                                   dense.Union())};
  std::vector<flatbuffers::Offset<snnb::Port>> ins{
      snnb::CreatePortDirect(b, "input", 0, &inShape)};
  std::vector<flatbuffers::Offset<snnb::Port>> outs{
      snnb::CreatePortDirect(b, "out", 1, &lifShape)};
  auto disc = snnb::CreateDiscretizationDirect(b, "exact", 1e-4);
  flatbuffers::Offset<snnb::Mapping> mapping = 0;
  if (k.mapped) {
    std::vector<flatbuffers::Offset<snnb::Chip>> chips;
    for (const ChipSpec &c : k.chips) {
      std::vector<flatbuffers::Offset<snnb::RouteEntry>> routes;
      for (const RouteSpec &r : c.routes)
        routes.push_back(
            snnb::CreateRouteEntryDirect(b, r.key, r.mask, r.links, &r.cores));
      chips.push_back(snnb::CreateChipDirect(b, c.x, c.y, &routes, 2));
    }
    std::vector<flatbuffers::Offset<snnb::Core>> cores;
    for (size_t i = 0; i < k.cores.size(); ++i) {
      const CoreSpec &c = k.cores[i];
      std::vector<flatbuffers::Offset<snnb::CoreSlice>> slices;
      for (const Slice &s : c.slices)
        slices.push_back(snnb::CreateCoreSlice(b, s.population, s.lo, s.hi));
      cores.push_back(snnb::CreateCoreDirect(
          b, c.id == UINT32_MAX ? uint32_t(i) : c.id, c.chip, c.index, &slices,
          6, 6, 2, 1, c.key, c.mask));
    }
    mapping =
        snnb::CreateMappingDirect(b, "test-target", "{}", k.meshWidth,
                                  k.meshHeight, k.coresPerChip, &chips, &cores);
  }
  auto root = snnb::CreateProgramDirect(b, k.version, "test", "net",
                                        snnb::NumericMode::Float, disc, &pops,
                                        &projs, &ins, &outs, mapping);
  snnb::FinishProgramBuffer(b, root);
  return sealedCopy(b.GetBufferPointer(), b.GetSize());
}

/// The load's error message, or "" when it loads.
std::string refusal(const Knobs &k) {
  auto p = Program::fromBytes(artifact(k), "m.snnb");
  return p.isOk() ? std::string() : p.status().message();
}

void expectRefused(const Knobs &k, const std::string &part) {
  std::string m = refusal(k);
  ASSERT_FALSE(m.empty()) << "accepted; expected a refusal with: " << part;
  EXPECT_NE(m.find("m.snnb"), std::string::npos) << m;
  EXPECT_NE(m.find("mapping: "), std::string::npos) << m;
  EXPECT_NE(m.find(part), std::string::npos) << m;
}

TEST(MappingArtifact, LoadsASoundMapping) {
  auto p = Program::fromBytes(artifact(), "m.snnb");
  ASSERT_TRUE(p.isOk()) << p.status().toString();
  const snnb::Mapping *m = (*p)->fb().mapping();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->cores()->size(), 2u);
  EXPECT_EQ(m->cores()->Get(1)->slices()->Get(0)->hi(), 3u);
  Knobs unmapped;
  unmapped.mapped = false;
  EXPECT_EQ(refusal(unmapped), "");
}

TEST(MappingArtifact, EveryNeuronOnExactlyOneCore) {
  Knobs gap;
  gap.cores[1].slices = {{1, 2, 3}};
  expectRefused(gap, "population 'lif': neuron 1 is on no core");
  Knobs overlap;
  overlap.cores[1].slices = {{1, 0, 3}};
  expectRefused(overlap, "population 'lif': neurons [0, 1) are on two cores");
  Knobs missing;
  missing.cores[0].slices = {{1, 0, 1}};
  expectRefused(missing, "population 'input': neuron 0 is on no core");
  Knobs outside;
  outside.cores[1].slices = {{1, 1, 4}};
  expectRefused(outside, "core 1 holds neurons [1, 4) of 'lif', which has 3");
  Knobs empty;
  empty.cores[1].slices = {{1, 1, 1}, {1, 1, 3}};
  expectRefused(empty, "core 1 holds neurons [1, 1)");
  Knobs unknown;
  unknown.cores[1].slices = {{2, 0, 1}};
  expectRefused(unknown, "core 1 holds population 2 of 2");
}

TEST(MappingArtifact, CoresAndChipsWhereTheTargetHasRoom) {
  Knobs position;
  position.cores[1].index = 4;
  expectRefused(position, "core 1 is on chip 0, position 4");
  Knobs chip;
  chip.cores[1].chip = 1;
  expectRefused(chip, "outside the 1 chip(s) in use");
  Knobs twice;
  twice.cores[1].index = 0;
  expectRefused(twice, "core 1: another core is at chip 0, position 0");
  Knobs order;
  order.cores[1].id = 5;
  expectRefused(order, "core 1 has id 5");
  Knobs mesh;
  mesh.chips[0].x = 2;
  expectRefused(mesh, "chip 0 at (2, 0) is outside the 2x2 mesh");
  Knobs sameChip;
  sameChip.chips.push_back(ChipSpec{});
  expectRefused(sameChip, "chip 1 at (0, 0): another chip is at that position");
  Knobs zero;
  zero.coresPerChip = 0;
  expectRefused(zero, "cores per chip (each must be 1 to 4096)");
}

TEST(MappingArtifact, KeysMasksAndRoutes) {
  Knobs key;
  key.cores[1].key = 0x101;
  expectRefused(key, "core 1: routing key bits outside its mask");
  Knobs room;
  room.cores[0].mask = 0xfffffffeu; // 2 keys for 3 neurons
  expectRefused(room, "core 0 holds 3 neurons but its mask leaves room for 2");
  Knobs entry;
  entry.chips[0].routes[0] = RouteSpec{0x1, 0x0, 0, {0}};
  expectRefused(entry, "chip 0 at (0, 0), routing entry 0: key bits outside");
  Knobs link;
  link.chips[0].routes[0].links = 16;
  expectRefused(link, "links 16 name a link other than the mesh's 4");
  Knobs target;
  target.chips[0].routes[0].cores = {4};
  expectRefused(target, "core position 4 on a chip of 4");
}

TEST(MappingArtifact, OnlyFromSchemaVersion4) {
  Knobs old;
  old.version = 3;
  expectRefused(old, "present in a schema version 3 file");
}

} // namespace
