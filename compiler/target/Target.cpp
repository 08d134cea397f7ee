//===- Target.cpp - Reading and writing target descriptions as JSON -------===//
//
// The reader and writer of the JSON form (docs/targets.md) and loadTarget;
// the presets are in Presets.cpp. The reader checks every key before the
// mapping passes see the target: an impossible limit (no cores, a 0x0 mesh) or
// a typo in a key would otherwise surface much later as a confusing mapping
// failure, or not at all. It reports every problem it finds, one line each,
// rather than the first only, so a hand-written file is fixed in one round.
//
//===----------------------------------------------------------------------===//
#include "target/Target.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

namespace snnc::target {
namespace {

/// One integer limit: its key path, where it lives and its allowed range.
/// Bit widths (`bits`) are 1..32; the other limits 1..max, where max keeps
/// derived products (chips() is width * height in 32 bits) from overflowing.
struct IntField {
  const char *path;
  uint32_t Target::*u32;
  uint64_t Target::*u64;
  uint64_t max;
  bool bits;
  /// May be left out (the Target keeps 0: not modelled); toJson writes it
  /// only when set.
  bool optional = false;
};

constexpr uint64_t kU32 = 0xffffffffu;
/// The largest machine a target may describe (see parseTarget).
constexpr uint64_t kMaxChips = uint64_t(1) << 20, kMaxCores = uint64_t(1) << 24;

// uint32_t chips() = width * height must not wrap.
constexpr uint64_t kMeshSide = 0xffff;
// Far beyond any memory, and exactly representable as a double.
constexpr uint64_t kU48 = uint64_t(1) << 48;

const IntField kIntFields[] = {
    {"mesh.width", &Target::meshWidth, nullptr, kMeshSide, false},
    {"mesh.height", &Target::meshHeight, nullptr, kMeshSide, false},
    {"cores_per_chip", &Target::coresPerChip, nullptr, kU32, false},
    {"neurons_per_core", &Target::neuronsPerCore, nullptr, kU32, false},
    {"synapse_words_per_core", nullptr, &Target::synapseWordsPerCore, kU48,
     false},
    {"synapses_per_word", &Target::synapsesPerWord, nullptr, kU32, false},
    {"fan_in_per_core", &Target::fanInPerCore, nullptr, kU32, false},
    {"fan_out_per_core", &Target::fanOutPerCore, nullptr, kU32, false},
    {"weight_bits", &Target::weightBits, nullptr, 32, true},
    {"state_bits", &Target::stateBits, nullptr, 32, true},
    {"decay_bits", &Target::decayBits, nullptr, 32, true},
    {"routing_entries_per_router", &Target::routingEntriesPerRouter, nullptr,
     kU32, false},
    {"delay_slots", &Target::delaySlots, nullptr, kU32, false},
    {"input_keys_per_core", &Target::inputKeysPerCore, nullptr, kU32, false,
     true},
};

struct EnergyField {
  const char *path;
  double EnergyModel::*member;
};

const EnergyField kEnergyFields[] = {
    {"energy.synaptic_op_pj", &EnergyModel::synapticOpPj},
    {"energy.neuron_update_pj", &EnergyModel::neuronUpdatePj},
    {"energy.routed_spike_pj", &EnergyModel::routedSpikePj},
    {"energy.static_mw_per_chip", &EnergyModel::staticMwPerChip},
};

/// The spelling of the PopKind enumerators (compiler/lower/NetworkPlan.h).
const char *const kNeuronKinds[] = {
    "Source", "Relay",      "LIF",       "CubaLIF",     "IF",           "LI",
    "CubaLI", "Integrator", "Threshold", "ReceptorLIF", "PoissonSource"};

/// Every key a complete description holds, in the order toJson writes them
/// and missing keys are listed.
std::vector<std::string> requiredPaths(bool withOptional = false) {
  std::vector<std::string> paths = {"name"};
  for (const IntField &f : kIntFields)
    if (withOptional || !f.optional)
      paths.push_back(f.path);
  paths.push_back("neuron_kinds");
  for (const EnergyField &f : kEnergyFields)
    paths.push_back(f.path);
  return paths;
}

/// The shortest decimal that reads back to exactly `d`, so that toJson
/// writes 23.6 rather than 23.600000000000001 and still round-trips.
std::string shortestDouble(double d) {
  // Whole numbers as integers: %g's shortest form of 20 is "2e+01".
  if (std::fabs(d) < 9007199254740992.0 && std::trunc(d) == d)
    return std::to_string(int64_t(d));
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d)
      break;
  }
  return buf;
}

/// A value as the message shows it: numbers as written, other kinds named.
std::string describe(const llvm::json::Value &v) {
  using llvm::json::Value;
  switch (v.kind()) {
  case Value::Null:
    return "null";
  case Value::Boolean:
    return std::string(*v.getAsBoolean() ? "true" : "false") + " (a boolean)";
  case Value::Number:
    if (auto u = v.getAsUINT64())
      return std::to_string(*u);
    if (auto i = v.getAsInteger())
      return std::to_string(*i);
    return shortestDouble(*v.getAsNumber());
  case Value::String:
    return llvm::formatv("{0} (a string)", v).str();
  case Value::Array:
    return "an array";
  case Value::Object:
    return "an object";
  }
  return "?";
}

/// llvm::json reports "[line:column, byte=offset]: message"; say it in words.
std::string syntaxMessage(llvm::Error err) {
  std::string raw = llvm::toString(std::move(err));
  unsigned line = 0, column = 0, offset = 0;
  int consumed = 0;
  if (std::sscanf(raw.c_str(), "[%u:%u, byte=%u]: %n", &line, &column, &offset,
                  &consumed) == 3 &&
      consumed > 0)
    return llvm::formatv("JSON syntax error at line {0}, column {1}: {2}", line,
                         column, raw.substr(consumed))
        .str();
  return "JSON syntax error: " + raw;
}

/// Reads one description into a Target, collecting every problem.
class Reader {
public:
  Reader(const std::string &origin, Target &target)
      : origin(origin), target(target) {}

  void object(const llvm::json::Object &top) {
    for (const std::string &key : sortedKeys(top)) {
      const llvm::json::Value &v = *top.get(key);
      if (key == "base")
        continue; // applied by parseTarget before the other keys
      if (key == "name")
        name(v);
      else if (key == "mesh" || key == "energy")
        nested(key, v);
      else if (key == "neuron_kinds")
        kinds(v);
      else if (const IntField *f = intField(key);
               f && !llvm::StringRef(key).contains('.'))
        integer(*f, v); // "mesh.width" is a key only inside "mesh"
      else
        fail(key, "unknown key; known keys: " + knownKeys(""));
    }
  }

  void missing(const std::vector<std::string> &paths) {
    problems.push_back(
        llvm::formatv("{0}: missing {1} (and no 'base' preset to take them "
                      "from): {2}",
                      origin, paths.size() == 1 ? "key" : "keys",
                      llvm::join(paths, ", "))
            .str());
  }

  std::set<std::string> seen; ///< key paths given, valid or not
  std::vector<std::string> problems;

private:
  static std::vector<std::string> sortedKeys(const llvm::json::Object &o) {
    std::vector<std::string> keys;
    for (const auto &kv : o)
      keys.push_back(kv.first.str());
    llvm::sort(keys);
    return keys;
  }

  /// The keys allowed directly under `prefix` ("" for the top level).
  static std::string knownKeys(llvm::StringRef prefix) {
    std::vector<std::string> keys;
    if (prefix.empty())
      keys = {"base", "mesh", "energy", "name", "neuron_kinds"};
    for (const std::string &p : requiredPaths(/*withOptional=*/true)) {
      llvm::StringRef path(p);
      if (prefix.empty() ? !path.contains('.')
                         : path.consume_front((prefix + ".").str()))
        keys.push_back(path.str());
    }
    llvm::sort(keys);
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return llvm::join(keys, ", ");
  }

  static const IntField *intField(llvm::StringRef path) {
    for (const IntField &f : kIntFields)
      if (path == f.path)
        return &f;
    return nullptr;
  }

  void fail(llvm::StringRef path, const std::string &problem) {
    problems.push_back(
        llvm::formatv("{0}: '{1}': {2}", origin, path, problem).str());
  }

  void name(const llvm::json::Value &v) {
    seen.insert("name");
    auto s = v.getAsString();
    if (!s || s->empty())
      return fail("name", "must be a non-empty string, got " + describe(v));
    target.name = s->str();
  }

  void nested(const std::string &key, const llvm::json::Value &v) {
    const llvm::json::Object *o = v.getAsObject();
    if (!o) {
      // Its keys are not missing as well: the one problem is the type.
      for (const std::string &p : requiredPaths())
        if (llvm::StringRef(p).starts_with(key + "."))
          seen.insert(p);
      return fail(key, "must be an object, got " + describe(v));
    }
    for (const std::string &sub : sortedKeys(*o)) {
      std::string path = key + "." + sub;
      const llvm::json::Value &leaf = *o->get(sub);
      if (const IntField *f = intField(path))
        integer(*f, leaf);
      else if (key == "energy" && energy(path, leaf))
        continue;
      else
        fail(path,
             "unknown key; known keys in '" + key + "': " + knownKeys(key));
    }
  }

  void integer(const IntField &f, const llvm::json::Value &v) {
    seen.insert(f.path);
    std::optional<uint64_t> u = v.getAsUINT64();
    if (!u)
      if (std::optional<int64_t> i = v.getAsInteger(); i && *i >= 0)
        u = uint64_t(*i); // 4.0 or 4e0: a whole number written as a double
    std::string range =
        f.bits ? "must be an integer in 1..32"
               : (f.max == kU32 ? std::string("must be a positive integer")
                                : llvm::formatv("must be a positive integer "
                                                "no larger than {0}",
                                                f.max)
                                      .str());
    if (!u || *u == 0 || *u > f.max)
      return fail(f.path, range + ", got " + describe(v));
    if (f.u32)
      target.*f.u32 = uint32_t(*u);
    else
      target.*f.u64 = *u;
  }

  /// False where `path` is not an energy key.
  bool energy(const std::string &path, const llvm::json::Value &v) {
    for (const EnergyField &f : kEnergyFields) {
      if (path != f.path)
        continue;
      seen.insert(path);
      std::optional<double> d = v.getAsNumber();
      if (!d || !std::isfinite(*d) || *d < 0)
        fail(path, "must be a non-negative number, got " + describe(v));
      else
        target.energy.*f.member = *d;
      return true;
    }
    return false;
  }

  void kinds(const llvm::json::Value &v) {
    seen.insert("neuron_kinds");
    const llvm::json::Array *a = v.getAsArray();
    if (!a)
      return fail("neuron_kinds",
                  "must be an array of strings, got " + describe(v));
    if (a->empty())
      return fail("neuron_kinds", "must name at least one neuron kind");
    std::vector<std::string> kinds;
    bool ok = true;
    for (size_t i = 0; i < a->size(); ++i) {
      std::string path = llvm::formatv("neuron_kinds[{0}]", i).str();
      std::optional<llvm::StringRef> s = (*a)[i].getAsString();
      if (!s) {
        fail(path, "must be a string, got " + describe((*a)[i]));
        ok = false;
      } else if (!llvm::is_contained(kNeuronKinds, *s)) {
        fail(path, llvm::formatv("unknown neuron kind \"{0}\"; known kinds: "
                                 "{1}",
                                 *s,
                                 llvm::join(std::begin(kNeuronKinds),
                                            std::end(kNeuronKinds), ", "))
                       .str());
        ok = false;
      } else if (llvm::is_contained(kinds, *s)) {
        fail(path,
             llvm::formatv("neuron kind \"{0}\" is listed twice", *s).str());
        ok = false;
      } else {
        kinds.push_back(s->str());
      }
    }
    if (ok)
      target.neuronKinds = std::move(kinds);
  }

  const std::string &origin;
  Target &target;
};

} // namespace

llvm::Expected<Target> parseTarget(const std::string &json,
                                   const std::string &origin) {
  auto error = [](const std::string &msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
  };
  llvm::Expected<llvm::json::Value> root = llvm::json::parse(json);
  if (!root)
    return error(origin + ": " + syntaxMessage(root.takeError()));
  const llvm::json::Object *top = root->getAsObject();
  if (!top)
    return error(origin + ": the description must be a JSON object, got " +
                 describe(*root));

  Target target;
  bool fromBase = false;
  if (const llvm::json::Value *base = top->get("base")) {
    std::optional<llvm::StringRef> s = base->getAsString();
    if (!s)
      return error(llvm::formatv("{0}: 'base': must be a preset name, got {1}",
                                 origin, describe(*base))
                       .str());
    llvm::Expected<Target> preset = presetTarget(s->str());
    if (!preset) {
      llvm::consumeError(preset.takeError());
      return error(llvm::formatv("{0}: 'base': unknown preset \"{1}\"; "
                                 "presets: {2}",
                                 origin, *s, llvm::join(presetNames(), ", "))
                       .str());
    }
    target = std::move(*preset);
    fromBase = true;
  }
  target.origin = origin;

  Reader reader(origin, target);
  reader.object(*top);
  if (!fromBase) {
    std::vector<std::string> missing;
    for (const std::string &path : requiredPaths())
      if (!reader.seen.count(path))
        missing.push_back(path);
    if (!missing.empty())
      reader.missing(missing);
  }
  // The mapping keeps a router per chip and a slot per core: a machine
  // beyond these sizes (the largest SpiNNaker has about 57,600 chips and a
  // million cores) is refused rather than allocated.
  if (reader.problems.empty() && target.chips() > kMaxChips)
    reader.problems.push_back(
        origin + ": 'mesh': " + std::to_string(target.meshWidth) + " x " +
        std::to_string(target.meshHeight) + " = " +
        std::to_string(target.chips()) + " chips; at most " +
        std::to_string(kMaxChips) + " are supported");
  if (reader.problems.empty() && target.cores() > kMaxCores)
    reader.problems.push_back(
        origin + ": 'cores_per_chip': " + std::to_string(target.coresPerChip) +
        " cores on each of " + std::to_string(target.chips()) +
        " chips = " + std::to_string(target.cores()) + " cores; at most " +
        std::to_string(kMaxCores) + " are supported");
  if (!reader.problems.empty())
    return error(llvm::join(reader.problems, "\n"));
  return target;
}

llvm::Expected<Target> loadTarget(const std::string &nameOrPath) {
  if (llvm::is_contained(presetNames(), nameOrPath))
    return presetTarget(nameOrPath);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(nameOrPath, /*IsText=*/true);
  if (!file)
    return llvm::createStringError(
        file.getError(),
        "'%s' is neither a preset (%s) nor a readable file: %s",
        nameOrPath.c_str(), llvm::join(presetNames(), ", ").c_str(),
        file.getError().message().c_str());
  return parseTarget((*file)->getBuffer().str(), nameOrPath);
}

std::string toJson(const Target &t) {
  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::json::OStream j(os, /*IndentSize=*/2);
  auto number = [&](llvm::StringRef key, double d) {
    // JSON has no infinities; null makes parseTarget name the key.
    j.attributeBegin(key);
    j.rawValue(std::isfinite(d) ? shortestDouble(d) : "null");
    j.attributeEnd();
  };
  j.object([&] {
    j.attribute("name", t.name);
    j.attributeObject("mesh", [&] {
      j.attribute("width", t.meshWidth);
      j.attribute("height", t.meshHeight);
    });
    for (const IntField &f : kIntFields) {
      llvm::StringRef path(f.path);
      if (path.starts_with("mesh.") || (f.optional && !(t.*f.u32)))
        continue;
      if (f.u32)
        j.attribute(path, t.*f.u32);
      else
        j.attribute(path, t.*f.u64);
    }
    j.attributeArray("neuron_kinds", [&] {
      for (const std::string &k : t.neuronKinds)
        j.value(k);
    });
    j.attributeObject("energy", [&] {
      for (const EnergyField &f : kEnergyFields)
        number(llvm::StringRef(f.path).drop_front(strlen("energy.")),
               t.energy.*f.member);
    });
  });
  os << "\n";
  return out;
}

} // namespace snnc::target
