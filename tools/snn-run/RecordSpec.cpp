//===- RecordSpec.cpp - snn-run's NODE[i,j,a:b]=FILE arguments ------------===//
#include "RecordSpec.h"

#include "snnc/schema/snnb_generated.h"

#include <charconv>

namespace snnc::snnrun {
namespace {

// A non-negative decimal integer filling all of `s`.
std::optional<int64_t> parseIndex(const std::string &s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0)
    return std::nullopt;
  return v;
}

} // namespace

int64_t nodeSize(const Program &program, const std::string &name) {
  if (const PortInfo *p = program.findOutput(name))
    return p->size;
  if (const PortInfo *p = program.findInput(name))
    return p->size;
  const int64_t idx = program.findPopulation(name);
  if (idx < 0)
    return -1;
  return program.fb().populations()->Get(uint32_t(idx))->size();
}

std::optional<RecordSpec> parseRecordSpec(const Program &program,
                                          const std::string &option,
                                          const std::string &arg,
                                          std::string &error) {
  // The node part ends at the first '=' outside brackets.
  const size_t open = arg.find('[');
  const size_t eq =
      arg.find('=', open == std::string::npos ? 0 : arg.find(']', open));
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) {
    error = option + " expects NODE=FILE.npy or NODE[i,j,a:b]=FILE.npy, got '" +
            arg + "'";
    return std::nullopt;
  }
  RecordSpec spec;
  spec.file = arg.substr(eq + 1);
  std::string node = arg.substr(0, eq);
  if (open == std::string::npos || open > eq) {
    spec.node = node;
    return spec;
  }
  spec.node = node.substr(0, open);
  spec.chosen = true;
  auto bad = [&](const std::string &what) {
    error = option + " '" + arg + "': " + what;
    return std::nullopt;
  };
  if (spec.node.empty() || node.back() != ']' ||
      node.find('[', open + 1) != std::string::npos)
    return bad("expected NODE[i,j,a:b] with one bracketed list at the end");
  const int64_t size = nodeSize(program, spec.node);
  if (size < 0) {
    spec.chosen = true; // Session names the known nodes
    return spec;
  }
  const std::string list = node.substr(open + 1, node.size() - open - 2);
  if (list.empty())
    return bad("the neuron list of '" + spec.node + "' is empty");
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    if (comma == std::string::npos)
      comma = list.size();
    const std::string item = list.substr(pos, comma - pos);
    pos = comma + 1;
    const size_t colon = item.find(':');
    auto outOfRange = [&](int64_t v) {
      return bad("neuron index " + std::to_string(v) + " is out of range; '" +
                 spec.node + "' has " + std::to_string(size) +
                 " neurons (flat indices 0 to " + std::to_string(size - 1) +
                 ")");
    };
    if (colon == std::string::npos) {
      auto v = parseIndex(item);
      if (!v)
        return bad("'" + item + "' in the neuron list of '" + spec.node +
                   "' is not an index (expected i or a:b, e.g. 0:100)");
      if (*v >= size)
        return outOfRange(*v);
      spec.neurons.push_back(*v);
      continue;
    }
    const std::string lo = item.substr(0, colon), hi = item.substr(colon + 1);
    auto a = lo.empty() ? std::optional<int64_t>(0) : parseIndex(lo);
    auto b = hi.empty() ? std::optional<int64_t>(size) : parseIndex(hi);
    if (!a || !b || *a >= *b)
      return bad("'" + item + "' in the neuron list of '" + spec.node +
                 "' is not a range a:b of indices with a < b");
    if (*b > size)
      return outOfRange(*b - 1);
    for (int64_t i = *a; i < *b; ++i)
      spec.neurons.push_back(i);
  }
  return spec;
}

} // namespace snnc::snnrun
