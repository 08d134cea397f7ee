//===- TargetTest.cpp - Target presets, the JSON format, its refusals -----===//
//
// Every preset survives toJson/parseTarget unchanged; a file that starts from
// a preset overrides only what it names; and each refusal names the origin,
// the key path and the offending value, so the messages quoted in
// docs/targets.md are the ones these tests see.
//
//===----------------------------------------------------------------------===//
#include "target/Target.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>

using namespace snnc::target;

namespace {

/// Every field but origin, which says where a Target came from.
void expectSameTarget(const Target &a, const Target &b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.meshWidth, b.meshWidth);
  EXPECT_EQ(a.meshHeight, b.meshHeight);
  EXPECT_EQ(a.coresPerChip, b.coresPerChip);
  EXPECT_EQ(a.neuronsPerCore, b.neuronsPerCore);
  EXPECT_EQ(a.synapseWordsPerCore, b.synapseWordsPerCore);
  EXPECT_EQ(a.synapsesPerWord, b.synapsesPerWord);
  EXPECT_EQ(a.fanInPerCore, b.fanInPerCore);
  EXPECT_EQ(a.fanOutPerCore, b.fanOutPerCore);
  EXPECT_EQ(a.weightBits, b.weightBits);
  EXPECT_EQ(a.stateBits, b.stateBits);
  EXPECT_EQ(a.decayBits, b.decayBits);
  EXPECT_EQ(a.routingEntriesPerRouter, b.routingEntriesPerRouter);
  EXPECT_EQ(a.delaySlots, b.delaySlots);
  EXPECT_EQ(a.neuronKinds, b.neuronKinds);
  // Exact: toJson writes the shortest decimal that reads back the same.
  EXPECT_EQ(a.energy.synapticOpPj, b.energy.synapticOpPj);
  EXPECT_EQ(a.energy.neuronUpdatePj, b.energy.neuronUpdatePj);
  EXPECT_EQ(a.energy.routedSpikePj, b.energy.routedSpikePj);
  EXPECT_EQ(a.energy.staticMwPerChip, b.energy.staticMwPerChip);
}

/// The message of a refused parse ("" where it was accepted, which the
/// caller's substring checks then report).
std::string parseError(const std::string &json,
                       const std::string &origin = "t.json") {
  llvm::Expected<Target> t = parseTarget(json, origin);
  if (t) {
    ADD_FAILURE() << "accepted: " << json;
    return "";
  }
  return llvm::toString(t.takeError());
}

bool has(const std::string &msg, const std::string &part) {
  return msg.find(part) != std::string::npos;
}

/// A complete description with one key's text replaced: `key` is the JSON
/// member as written in the template ("\"cores_per_chip\": 4").
std::string snncoreJsonWith(const std::string &from, const std::string &to) {
  std::string json = toJson(llvm::cantFail(presetTarget("snncore")));
  size_t at = json.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos)
    json.replace(at, from.size(), to);
  return json;
}

std::string writeTemp(const std::string &name, const std::string &text) {
  std::string path = testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

} // namespace

TEST(TargetPresets, NamesAreTheThreePresets) {
  EXPECT_EQ(presetNames(), (std::vector<std::string>{"loihi-like", "snncore",
                                                     "spinnaker-like"}));
}

TEST(TargetPresets, EveryPresetRoundTripsThroughJson) {
  for (const std::string &name : presetNames()) {
    SCOPED_TRACE(name);
    llvm::Expected<Target> preset = presetTarget(name);
    ASSERT_TRUE(bool(preset)) << llvm::toString(preset.takeError());
    EXPECT_EQ(preset->name, name);
    EXPECT_EQ(preset->origin, "preset " + name);
    std::string json = toJson(*preset);
    llvm::Expected<Target> back = parseTarget(json, name + ".json");
    ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError()) << "\n" << json;
    expectSameTarget(*preset, *back);
    EXPECT_EQ(back->origin, name + ".json");
    // Writing again gives the same text: nothing drifts on a second trip.
    EXPECT_EQ(toJson(*back), json);
  }
}

TEST(TargetPresets, PublishedFigures) {
  Target loihi = llvm::cantFail(presetTarget("loihi-like"));
  EXPECT_EQ(loihi.coresPerChip, 128u);
  EXPECT_EQ(loihi.neuronsPerCore, 1024u);
  // 128 KiB per core in 4-byte words.
  EXPECT_EQ(loihi.synapseWordsPerCore * 4 * loihi.synapsesPerWord,
            128u * 1024u);
  EXPECT_EQ(loihi.fanInPerCore, 4096u);
  EXPECT_EQ(loihi.fanOutPerCore, 4096u);
  EXPECT_EQ(loihi.weightBits, 8u);
  EXPECT_EQ(loihi.stateBits, 24u);
  EXPECT_EQ(loihi.decayBits, 12u);
  EXPECT_EQ(loihi.delaySlots, 62u);
  EXPECT_EQ(loihi.energy.synapticOpPj, 23.6);
  EXPECT_TRUE(loihi.supports("CubaLIF"));
  EXPECT_FALSE(loihi.supports("PoissonSource"));

  Target spinn = llvm::cantFail(presetTarget("spinnaker-like"));
  EXPECT_EQ(spinn.chips(), 48u);
  EXPECT_EQ(spinn.cores(), 768u);
  EXPECT_EQ(spinn.neuronsPerCore, 256u);
  EXPECT_EQ(spinn.routingEntriesPerRouter, 1023u);
  // 128 MiB of SDRAM / 16 cores / 4 bytes per synapse.
  EXPECT_EQ(spinn.synapseWordsPerCore, 2097152u);
  EXPECT_EQ(spinn.weightBits, 16u);
  EXPECT_EQ(spinn.delaySlots, 16u);

  Target core = llvm::cantFail(presetTarget("snncore"));
  EXPECT_EQ(core.cores(), 16u);
  EXPECT_EQ(core.synapseWordsPerCore, 16384u);
}

TEST(TargetPresets, UnknownPresetListsThePresets) {
  llvm::Expected<Target> t = presetTarget("loihi");
  ASSERT_FALSE(bool(t));
  std::string msg = llvm::toString(t.takeError());
  EXPECT_NE(msg.find("'loihi'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("loihi-like, snncore, spinnaker-like"), std::string::npos)
      << msg;
}

TEST(TargetJson, BaseWithOverrides) {
  llvm::Expected<Target> t = parseTarget(
      R"({"base": "loihi-like", "mesh": {"width": 8, "height": 4}})", "b.json");
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  Target loihi = llvm::cantFail(presetTarget("loihi-like"));
  EXPECT_EQ(t->meshWidth, 8u);
  EXPECT_EQ(t->meshHeight, 4u);
  EXPECT_EQ(t->chips(), 32u);
  EXPECT_EQ(t->cores(), 32u * 128u);
  EXPECT_EQ(t->origin, "b.json");
  // Everything not named comes from the preset.
  Target expect = loihi;
  expect.meshWidth = 8;
  expect.meshHeight = 4;
  expectSameTarget(expect, *t);
}

TEST(TargetJson, BaseWithOneMeshSideAndNewKinds) {
  llvm::Expected<Target> t = parseTarget(
      R"({"base": "snncore", "mesh": {"height": 3},
          "neuron_kinds": ["LIF", "PoissonSource"]})",
      "k.json");
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->meshWidth, 2u); // from the preset
  EXPECT_EQ(t->meshHeight, 3u);
  // A list replaces the preset's list, it does not extend it.
  EXPECT_EQ(t->neuronKinds, (std::vector<std::string>{"LIF", "PoissonSource"}));
}

TEST(TargetJson, ExampleFileLoads) {
  std::string path = SNNC_TARGET_EXAMPLES "/small-mesh.json";
  llvm::Expected<Target> t = loadTarget(path);
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->name, "small-mesh");
  EXPECT_EQ(t->origin, path);
  EXPECT_EQ(t->meshWidth, 4u);
  EXPECT_EQ(t->meshHeight, 2u);
  EXPECT_EQ(t->cores(), 32u);
  EXPECT_EQ(t->fanOutPerCore, 32u);
  EXPECT_EQ(t->energy.staticMwPerChip, 12.5);
  EXPECT_EQ(t->neuronsPerCore, 256u); // from snncore
  EXPECT_EQ(t->energy.synapticOpPj, 10.0);
}

TEST(TargetJson, WholeNumberWrittenAsDoubleIsAccepted) {
  llvm::Expected<Target> t =
      parseTarget(R"({"base": "snncore", "cores_per_chip": 8.0})", "d.json");
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->coresPerChip, 8u);
}

TEST(TargetErrors, SyntaxErrorHasLineAndColumn) {
  std::string msg = parseError("{\n  \"base\": \"snncore\",\n  \"mesh\": }\n");
  EXPECT_TRUE(has(msg, "t.json: JSON syntax error at line 3, column 11"))
      << msg;
}

TEST(TargetErrors, TopLevelMustBeAnObject) {
  std::string msg = parseError("[1, 2]");
  EXPECT_TRUE(has(msg, "t.json: the description must be a JSON object, "
                       "got an array"))
      << msg;
}

TEST(TargetErrors, UnknownKeyListsTheKnownOnes) {
  std::string msg = parseError(R"({"base": "snncore", "cores_per_chp": 8})");
  EXPECT_TRUE(has(msg, "t.json: 'cores_per_chp': unknown key; known keys: "
                       "base, cores_per_chip, decay_bits, delay_slots, "
                       "energy,"))
      << msg;
  msg = parseError(R"({"base": "snncore", "energy": {"synaptic_pj": 1}})");
  EXPECT_TRUE(has(msg, "'energy.synaptic_pj': unknown key; known keys in "
                       "'energy': neuron_update_pj, routed_spike_pj, "
                       "static_mw_per_chip, synaptic_op_pj"))
      << msg;
  // A nested key's path is not a top-level key.
  msg = parseError(R"({"base": "snncore", "mesh.width": 2})");
  EXPECT_TRUE(has(msg, "t.json: 'mesh.width': unknown key; known keys: base,"))
      << msg;
  msg = parseError(R"({"base": "snncore", "mesh": {"depth": 2}})");
  EXPECT_TRUE(has(msg, "'mesh.depth': unknown key; known keys in 'mesh': "
                       "height, width"))
      << msg;
}

TEST(TargetErrors, WrongTypes) {
  std::string msg = parseError(R"({"base": "snncore", "cores_per_chip": "4"})");
  EXPECT_TRUE(has(msg, "'cores_per_chip': must be a positive integer, got "
                       "\"4\" (a string)"))
      << msg;
  msg = parseError(R"({"base": "snncore", "mesh": 4})");
  EXPECT_TRUE(has(msg, "'mesh': must be an object, got 4")) << msg;
  msg = parseError(R"({"base": "snncore", "name": 7})");
  EXPECT_TRUE(has(msg, "'name': must be a non-empty string, got 7")) << msg;
  msg = parseError(R"({"base": "snncore", "neuron_kinds": "LIF"})");
  EXPECT_TRUE(has(msg, "'neuron_kinds': must be an array of strings, got "
                       "\"LIF\" (a string)"))
      << msg;
  msg =
      parseError(R"({"base": "snncore", "energy": {"routed_spike_pj": true}})");
  EXPECT_TRUE(has(msg, "'energy.routed_spike_pj': must be a non-negative "
                       "number, got true (a boolean)"))
      << msg;
  msg = parseError(R"({"base": 3})");
  EXPECT_TRUE(has(msg, "t.json: 'base': must be a preset name, got 3")) << msg;
}

TEST(TargetErrors, MachinesTooLargeToMapAreRefused) {
  std::string msg = parseError(
      R"({"base": "snncore", "mesh": {"width": 65535, "height": 65535}})");
  EXPECT_TRUE(has(msg, "'mesh': 65535 x 65535 = 4294836225 chips; at most "
                       "1048576 are supported"))
      << msg;
  msg = parseError(R"({"base": "snncore", "mesh": {"width": 1024, "height": )"
                   R"(1024}, "cores_per_chip": 32})");
  EXPECT_TRUE(has(msg, "'cores_per_chip': 32 cores on each of 1048576 chips = "
                       "33554432 cores; at most 16777216 are supported"))
      << msg;
  // The largest SpiNNaker machine's shape is fine.
  EXPECT_TRUE(bool(snnc::target::parseTarget(
      R"({"base": "spinnaker-like", "mesh": {"width": 240, "height": 240}})",
      "t.json")));
}

TEST(TargetErrors, ImpossibleLimitsAreRefused) {
  std::string msg = parseError(
      snncoreJsonWith("\"cores_per_chip\": 4", "\"cores_per_chip\": 0"));
  EXPECT_TRUE(has(msg, "t.json: 'cores_per_chip': must be a positive "
                       "integer, got 0"))
      << msg;
  msg = parseError(R"({"base": "snncore", "neurons_per_core": -256})");
  EXPECT_TRUE(has(msg, "'neurons_per_core': must be a positive integer, got "
                       "-256"))
      << msg;
  msg = parseError(R"({"base": "snncore", "fan_in_per_core": 2.5})");
  EXPECT_TRUE(has(msg, "'fan_in_per_core': must be a positive integer, got "
                       "2.5"))
      << msg;
  msg = parseError(R"({"base": "snncore", "delay_slots": 4294967296})");
  EXPECT_TRUE(has(msg, "'delay_slots': must be a positive integer, got "
                       "4294967296"))
      << msg;
  msg = parseError(R"({"base": "snncore", "mesh": {"width": 70000}})");
  EXPECT_TRUE(has(msg, "'mesh.width': must be a positive integer no larger "
                       "than 65535, got 70000"))
      << msg;
}

TEST(TargetErrors, ZeroByZeroMeshNamesBothSides) {
  std::string msg = parseError(
      R"({"base": "snncore", "mesh": {"width": 0, "height": 0}})", "m.json");
  EXPECT_TRUE(has(msg, "m.json: 'mesh.height': must be a positive integer no "
                       "larger than 65535, got 0"))
      << msg;
  EXPECT_TRUE(has(msg, "m.json: 'mesh.width': must be a positive integer no "
                       "larger than 65535, got 0"))
      << msg;
}

TEST(TargetErrors, BitWidthsOutsideOneToThirtyTwo) {
  std::string msg = parseError(R"({"base": "snncore", "weight_bits": 0})");
  EXPECT_TRUE(has(msg, "'weight_bits': must be an integer in 1..32, got 0"))
      << msg;
  msg = parseError(R"({"base": "snncore", "state_bits": 33})");
  EXPECT_TRUE(has(msg, "'state_bits': must be an integer in 1..32, got 33"))
      << msg;
  msg = parseError(R"({"base": "snncore", "decay_bits": 64})");
  EXPECT_TRUE(has(msg, "'decay_bits': must be an integer in 1..32, got 64"))
      << msg;
}

TEST(TargetErrors, NegativeEnergy) {
  std::string msg =
      parseError(R"({"base": "snncore", "energy": {"synaptic_op_pj": -1.5}})");
  EXPECT_TRUE(has(msg, "t.json: 'energy.synaptic_op_pj': must be a "
                       "non-negative number, got -1.5"))
      << msg;
  // Zero is allowed: a cost left out of the estimate.
  EXPECT_TRUE(bool(parseTarget(
      R"({"base": "snncore", "energy": {"static_mw_per_chip": 0}})", "z")));
}

TEST(TargetErrors, UnknownNeuronKindListsTheKnown) {
  std::string msg =
      parseError(R"({"base": "snncore", "neuron_kinds": ["LIF", "LIFF"]})");
  EXPECT_TRUE(has(msg, "'neuron_kinds[1]': unknown neuron kind \"LIFF\"; "
                       "known kinds: Source, Relay, LIF, CubaLIF, IF, LI, "
                       "CubaLI, Integrator, Threshold, ReceptorLIF, "
                       "PoissonSource"))
      << msg;
  msg = parseError(R"({"base": "snncore", "neuron_kinds": ["IF", "IF"]})");
  EXPECT_TRUE(has(msg, "'neuron_kinds[1]': neuron kind \"IF\" is listed twice"))
      << msg;
  msg = parseError(R"({"base": "snncore", "neuron_kinds": []})");
  EXPECT_TRUE(has(msg, "'neuron_kinds': must name at least one neuron kind"))
      << msg;
}

TEST(TargetErrors, UnknownBasePreset) {
  std::string msg = parseError(R"({"base": "truenorth"})");
  EXPECT_TRUE(has(msg, "t.json: 'base': unknown preset \"truenorth\"; "
                       "presets: loihi-like, snncore, spinnaker-like"))
      << msg;
}

TEST(TargetErrors, MissingKeysWithoutBaseAllNamedAtOnce) {
  std::string msg = parseError(
      R"({"name": "x", "mesh": {"width": 2}, "cores_per_chip": 4,
          "energy": {"synaptic_op_pj": 1}})");
  EXPECT_TRUE(has(msg, "t.json: missing keys (and no 'base' preset to take "
                       "them from): mesh.height, neurons_per_core, "
                       "synapse_words_per_core, synapses_per_word, "
                       "fan_in_per_core, fan_out_per_core, weight_bits, "
                       "state_bits, decay_bits, routing_entries_per_router, "
                       "delay_slots, neuron_kinds, energy.neuron_update_pj, "
                       "energy.routed_spike_pj, energy.static_mw_per_chip"))
      << msg;
  // Keys that were given are not reported missing.
  EXPECT_FALSE(has(msg, "mesh.width")) << msg;
  EXPECT_FALSE(has(msg, "cores_per_chip")) << msg;
}

TEST(TargetErrors, SeveralProblemsReportedTogether) {
  std::string msg = parseError(
      R"({"base": "snncore", "cores_per_chip": 0, "weight_bits": 40,
          "colour": "blue"})");
  EXPECT_TRUE(has(msg, "'colour': unknown key")) << msg;
  EXPECT_TRUE(has(msg, "'cores_per_chip': must be a positive integer, got 0"))
      << msg;
  EXPECT_TRUE(has(msg, "'weight_bits': must be an integer in 1..32, got 40"))
      << msg;
  EXPECT_EQ(std::count(msg.begin(), msg.end(), '\n'), 2) << msg;
}

TEST(TargetLoad, PresetByName) {
  llvm::Expected<Target> t = loadTarget("spinnaker-like");
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->name, "spinnaker-like");
  EXPECT_EQ(t->origin, "preset spinnaker-like");
  EXPECT_EQ(t->coresPerChip, 16u);
}

TEST(TargetLoad, NeitherPresetNorFile) {
  llvm::Expected<Target> t = loadTarget("foo");
  ASSERT_FALSE(bool(t));
  std::string msg = llvm::toString(t.takeError());
  EXPECT_EQ(msg, "'foo' is neither a preset (loihi-like, snncore, "
                 "spinnaker-like) nor a readable file: No such file or "
                 "directory");
}

TEST(TargetLoad, FileErrorsNameThePath) {
  std::string path = writeTemp(
      "bad-target.json", R"({"base": "snncore", "synapses_per_word": 0})");
  llvm::Expected<Target> t = loadTarget(path);
  ASSERT_FALSE(bool(t));
  std::string msg = llvm::toString(t.takeError());
  EXPECT_EQ(msg, path + ": 'synapses_per_word': must be a positive integer, "
                        "got 0");
}

TEST(TargetLoad, FileWrittenByToJsonLoads) {
  Target t = llvm::cantFail(presetTarget("loihi-like"));
  t.name = "two-chips";
  t.meshWidth = 2;
  t.energy.staticMwPerChip = 0.1;
  std::string path = writeTemp("two-chips.json", toJson(t));
  llvm::Expected<Target> back = loadTarget(path);
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  expectSameTarget(t, *back);
}
