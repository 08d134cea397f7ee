//===- BenchNetworks.cpp - The simulator-comparison networks --------------===//
#include "BenchNetworks.h"

#include "snnc/runtime/ArtifactSeal.h"
#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

namespace snnc::bench {
namespace {

namespace sb = snnc::snnb;

constexpr double mV = 1e-3, ms = 1e-3;

/// Bernoulli(p) connections from every source to every target, as Brian2's
/// connect(p=...) draws them (self-connections included), rows sorted.
/// Geometric gaps make it O(synapses), not O(pairs).
void connectRandom(std::mt19937_64 &rng, uint32_t sources, uint32_t targets,
                   double p, ProjectionSpec &out) {
  std::geometric_distribution<uint64_t> gap(p);
  for (uint32_t i = 0; i < sources; ++i)
    for (uint64_t j = gap(rng); j < targets; j += 1 + gap(rng)) {
      out.pre.push_back(int32_t(i));
      out.post.push_back(int32_t(j));
    }
}

/// Membrane potentials uniform in [v_reset, v_threshold], as the examples'
/// 'Vr + rand() * (Vt - Vr)'.
std::vector<double> uniformInit(std::mt19937_64 &rng, uint32_t n,
                                const NeuronSpec &nrn) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> v(n);
  for (double &x : v)
    x = nrn.vReset + u(rng) * (nrn.vThreshold - nrn.vReset);
  return v;
}

/// 80 % excitatory and 20 % inhibitory populations connected all-to-all
/// with probability p; exc and inh weights onto receptors re / ri.
NetworkSpec excInh(std::string name, NeuronSpec nrn, uint32_t n, double p,
                   int re, double we, int ri, double wi, uint64_t seed) {
  std::mt19937_64 rng(seed);
  NetworkSpec net;
  net.name = std::move(name);
  net.neuron = std::move(nrn);
  const uint32_t ne = n / 5 * 4;
  net.populations = {{"exc", ne, uniformInit(rng, ne, net.neuron)},
                     {"inh", n - ne, uniformInit(rng, n - ne, net.neuron)}};
  for (uint32_t s = 0; s < 2; ++s)
    for (uint32_t t = 0; t < 2; ++t) {
      ProjectionSpec pj;
      pj.source = s, pj.target = t;
      pj.receptor = s == 0 ? re : ri;
      pj.weight = s == 0 ? we : wi;
      connectRandom(rng, net.populations[s].size, net.populations[t].size, p,
                    pj);
      net.projections.push_back(std::move(pj));
    }
  return net;
}

NeuronSpec vogelsAbbott() {
  NeuronSpec n;
  n.tauM = 20 * ms;
  n.vThreshold = -50 * mV;
  n.vReset = -60 * mV;
  n.refractory = 5 * ms;
  return n;
}

NetworkSpec cuba(uint64_t seed) {
  NeuronSpec n = vogelsAbbott();
  n.vRest = -49 * mV;
  n.receptors = {{"exc", false, 5 * ms, 0}, {"inh", false, 10 * ms, 0}};
  n.method = "exact";
  return excInh("cuba", n, 4000, 0.02, 0, 60 * 0.27 / 10 * mV, 1,
                -20 * 4.5 / 10 * mV, seed);
}

NetworkSpec coba(uint64_t seed) {
  NeuronSpec n = vogelsAbbott();
  // El = -60 mV plus the benchmark's constant drive I = 20 mV.
  n.vRest = -40 * mV;
  n.receptors = {{"exc", true, 5 * ms, 0 * mV},
                 {"inh", true, 10 * ms, -80 * mV}};
  n.method = "euler";
  return excInh("coba", n, 4000, 0.02, 0, 6.0 / 10.0, 1, 67.0 / 10.0, seed);
}

/// Delta-synapse LIF: tau 20 ms, rest 1 mV above threshold so that every
/// neuron fires on its own; recurrent inhibition dominates excitation
/// (K/5 inhibitory inputs of -4*w against 4K/5 excitatory of w), which
/// keeps the activity irregular at 10-30 Hz whatever N and K are.
NetworkSpec sparse(uint32_t n, uint32_t k, uint64_t seed) {
  NeuronSpec nrn = vogelsAbbott();
  nrn.refractory = 0;
  nrn.vRest = -49 * mV;
  nrn.method = "exact";
  const double w = 20.0 / k * mV;
  std::string name = "sparse" + std::to_string(n) + ":" + std::to_string(k);
  return excInh(name, nrn, n, double(k) / n, -1, w, -1, -5 * w, seed);
}

void put(std::FILE *f, const char *fmt, double v) { std::fprintf(f, fmt, v); }

struct Discrete {
  float beta, leak;
  std::vector<float> decay, gain;
};

/// Per-step constants of the neuron model under its integration method.
Discrete discretize(const NeuronSpec &n, double dt) {
  Discrete d;
  const bool exact = n.method == "exact";
  const double em = std::exp(-dt / n.tauM);
  d.beta = float(exact ? em : 1.0 - dt / n.tauM);
  d.leak = float(exact ? n.vRest * (1.0 - em) : dt / n.tauM * n.vRest);
  for (const ReceptorSpec &r : n.receptors) {
    const double er = std::exp(-dt / r.tau);
    d.decay.push_back(float(exact ? er : 1.0 - dt / r.tau));
    if (!exact)
      d.gain.push_back(float(dt / n.tauM));
    else // v's response to g over one step of the linear system
      d.gain.push_back(float(r.tau / (r.tau - n.tauM) * (er - em)));
  }
  return d;
}

} // namespace

bool writeNpy1d(const std::string &path, const char *descr, size_t count,
                size_t itemSize, const void *data) {
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': (" +
                       std::to_string(count) + ",), }";
  // Magic (6) + version (2) + length (2) + header + '\n', a multiple of 64.
  while ((10 + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  // Through a temporary file, so that an interrupted write leaves no
  // truncated array behind.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    const uint16_t len = uint16_t(header.size());
    out.write("\x93NUMPY\x01\x00", 8);
    out.write(reinterpret_cast<const char *>(&len), 2);
    out << header;
    out.write(static_cast<const char *>(data),
              std::streamsize(count * itemSize));
    if (!out)
      return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

uint64_t NetworkSpec::synapses() const {
  uint64_t s = 0;
  for (const ProjectionSpec &p : projections)
    s += p.pre.size();
  return s;
}

uint32_t NetworkSpec::neurons() const {
  uint32_t n = 0;
  for (const PopulationSpec &p : populations)
    n += p.size;
  return n;
}

const char *networkNames() {
  return "cuba, coba, sparse10k, sparse100k, sparse1m, sparseN[:K][/sD|/dD]";
}

std::optional<NetworkSpec> makeNetwork(const std::string &name, uint64_t seed,
                                       std::string *error) {
  if (name == "cuba")
    return cuba(seed);
  if (name == "coba")
    return coba(seed);
  if (name.rfind("sparse", 0) == 0) {
    std::string rest = name.substr(6);
    // Delay suffix: "/s10" (one delay for all) or "/d20" (per synapse).
    char delayKind = 0;
    uint64_t delay = 0;
    if (size_t slash = rest.find('/'); slash != std::string::npos) {
      char *end = nullptr;
      if (slash + 2 < rest.size()) {
        delayKind = rest[slash + 1];
        delay = std::strtoull(rest.c_str() + slash + 2, &end, 10);
      }
      if ((delayKind != 's' && delayKind != 'd') || *end != '\0' || delay < 1 ||
          delay > 1000) {
        *error = "network '" + name + "': the delay suffix is /sD or /dD " +
                 "with D in 1..1000 steps";
        return std::nullopt;
      }
      rest.resize(slash);
    }
    uint64_t k = 100;
    if (size_t colon = rest.find(':'); colon != std::string::npos) {
      k = std::strtoull(rest.c_str() + colon + 1, nullptr, 10);
      rest.resize(colon);
    }
    uint64_t mult = 1;
    if (!rest.empty() && (rest.back() == 'k' || rest.back() == 'm')) {
      mult = rest.back() == 'k' ? 1000 : 1000000;
      rest.pop_back();
    }
    char *end = nullptr;
    const uint64_t n = std::strtoull(rest.c_str(), &end, 10) * mult;
    if (!rest.empty() && *end == '\0' && n >= 100 && n <= 100000000 && k >= 1 &&
        k <= n) {
      NetworkSpec net = sparse(uint32_t(n), uint32_t(k), seed);
      if (delayKind) {
        net.name += "/" + std::string(1, delayKind) + std::to_string(delay);
        (delayKind == 's' ? net.delaySteps : net.maxSynapseDelay) =
            uint32_t(delay);
      }
      return net;
    }
  }
  *error = "unknown network '" + name + "'; known: " + networkNames();
  return std::nullopt;
}

std::string writeDescription(const NetworkSpec &net, const std::string &dir) {
  if (net.delaySteps || net.maxSynapseDelay)
    return "network '" + net.name + "' has delays, which the description " +
           "for the peer simulator does not hold; generate it with " +
           "--no-description";
  const NeuronSpec &n = net.neuron;
  std::FILE *f = std::fopen((dir + "/network.json").c_str(), "w");
  if (!f)
    return "cannot write " + dir + "/network.json: " + std::strerror(errno);
  std::fprintf(f, "{\n  \"name\": \"%s\",\n", net.name.c_str());
  put(f, "  \"dt\": %.17g,\n", net.dt);
  put(f, "  \"duration\": %.17g,\n", net.duration);
  std::fprintf(f, "  \"method\": \"%s\",\n  \"neuron\": {\n", n.method.c_str());
  put(f, "    \"tau_m\": %.17g,\n", n.tauM);
  put(f, "    \"v_rest\": %.17g,\n", n.vRest);
  put(f, "    \"v_threshold\": %.17g,\n", n.vThreshold);
  put(f, "    \"v_reset\": %.17g,\n", n.vReset);
  put(f, "    \"refractory\": %.17g,\n", n.refractory);
  std::fprintf(f, "    \"receptors\": [");
  for (size_t k = 0; k < n.receptors.size(); ++k) {
    const ReceptorSpec &r = n.receptors[k];
    std::fprintf(f, "%s\n      {\"name\": \"%s\", \"type\": \"%s\", ",
                 k ? "," : "", r.name.c_str(),
                 r.conductance ? "conductance" : "current");
    put(f, "\"tau\": %.17g", r.tau);
    if (r.conductance)
      put(f, ", \"reversal\": %.17g", r.reversal);
    std::fprintf(f, "}");
  }
  std::fprintf(f, "%s]\n  },\n  \"populations\": [",
               n.receptors.empty() ? "" : "\n    ");
  bool ok = true;
  for (size_t p = 0; p < net.populations.size(); ++p) {
    const PopulationSpec &pop = net.populations[p];
    const std::string file = "v_init_" + pop.name + ".npy";
    std::fprintf(f,
                 "%s\n    {\"name\": \"%s\", \"size\": %u, \"v_init\": \"%s\"}",
                 p ? "," : "", pop.name.c_str(), pop.size, file.c_str());
    ok &= writeNpy1d(dir + "/" + file, "<f8", pop.vInit.size(), 8,
                     pop.vInit.data());
  }
  std::fprintf(f, "\n  ],\n  \"projections\": [");
  for (size_t k = 0; k < net.projections.size(); ++k) {
    const ProjectionSpec &pj = net.projections[k];
    const std::string pre = "proj" + std::to_string(k) + "_pre.npy",
                      post = "proj" + std::to_string(k) + "_post.npy";
    std::fprintf(f, "%s\n    {", k ? "," : "");
    if (!pj.name.empty())
      std::fprintf(f, "\"name\": \"%s\", ", pj.name.c_str());
    std::fprintf(f, "\"source\": \"%s\", \"target\": \"%s\", ",
                 net.populations[pj.source].name.c_str(),
                 net.populations[pj.target].name.c_str());
    if (pj.receptor < 0)
      std::fprintf(f, "\"receptor\": null, ");
    else
      std::fprintf(f, "\"receptor\": \"%s\", ",
                   n.receptors[size_t(pj.receptor)].name.c_str());
    put(f, "\"weight\": %.17g, ", pj.weight);
    const std::string stem = "proj" + std::to_string(k);
    if (!pj.weights.empty()) {
      std::fprintf(f, "\"weights\": \"%s_weight.npy\", ", stem.c_str());
      ok &= writeNpy1d(dir + "/" + stem + "_weight.npy", "<f8",
                       pj.weights.size(), 8, pj.weights.data());
    }
    if (!pj.delays.empty()) {
      std::fprintf(f, "\"delays\": \"%s_delay.npy\", ", stem.c_str());
      ok &= writeNpy1d(dir + "/" + stem + "_delay.npy", "<i4", pj.delays.size(),
                       4, pj.delays.data());
    } else if (pj.delay) {
      std::fprintf(f, "\"delay_steps\": %u, ", pj.delay);
    }
    std::fprintf(f, "\"pre\": \"%s\", \"post\": \"%s\"}", pre.c_str(),
                 post.c_str());
    ok &= writeNpy1d(dir + "/" + pre, "<i4", pj.pre.size(), 4, pj.pre.data());
    ok &=
        writeNpy1d(dir + "/" + post, "<i4", pj.post.size(), 4, pj.post.data());
  }
  std::fprintf(f, "\n  ]\n}\n");
  ok &= std::fclose(f) == 0;
  return ok ? "" : "cannot write the arrays of " + dir + "/network.json";
}

std::vector<uint8_t> buildArtifact(const NetworkSpec &net) {
  const NeuronSpec &n = net.neuron;
  const Discrete d = discretize(n, net.dt);
  const bool receptors = !n.receptors.empty();
  flatbuffers::FlatBufferBuilder b(1 << 20);
  // All populations share the neuron model, so they become one population
  // with the populations as consecutive ranges (as Brian2's one NeuronGroup
  // with subgroups): fewer, longer loops per step.
  const uint32_t total = net.neurons();
  std::vector<uint32_t> offset;
  std::vector<float> vInit;
  for (const PopulationSpec &p : net.populations) {
    offset.push_back(uint32_t(vInit.size()));
    vInit.insert(vInit.end(), p.vInit.begin(), p.vInit.end());
  }
  std::vector<float> beta{d.beta}, leak{d.leak}, th{float(n.vThreshold)},
      reset{float(n.vReset)};
  std::vector<flatbuffers::Offset<sb::Receptor>> rs;
  for (size_t k = 0; k < n.receptors.size(); ++k) {
    const ReceptorSpec &r = n.receptors[k];
    std::vector<float> decay{d.decay[k]}, gain{d.gain[k]},
        reversal{float(r.reversal)};
    rs.push_back(sb::CreateReceptorDirect(
        b, r.name.c_str(),
        r.conductance ? sb::ReceptorType::Conductance
                      : sb::ReceptorType::Current,
        &decay, &gain, r.conductance ? &reversal : nullptr));
  }
  // Delta synapses: Brian2 adds the weight before v decays, so the LIF
  // input gain is beta.
  std::vector<float> gainMem{d.beta};
  std::vector<int64_t> shape{total};
  std::vector<flatbuffers::Offset<sb::Population>> pops{
      sb::CreatePopulationDirect(
          b, "neurons",
          receptors ? sb::NeuronKind::ReceptorLIF : sb::NeuronKind::LIF, &shape,
          total, nullptr, &beta, nullptr, receptors ? nullptr : &gainMem,
          nullptr, &leak, nullptr, &th, &reset, &vInit, 0,
          receptors ? &rs : nullptr,
          uint32_t(std::lround(n.refractory / net.dt)))};
  // One projection per source population, receptor and weight (rows of
  // other neurons empty); its rows hold the targets of every projection of
  // the group, in global indices.
  struct Group {
    uint32_t source;
    int receptor;
    double weight;
    std::vector<const ProjectionSpec *> members;
  };
  std::vector<Group> groups;
  for (const ProjectionSpec &pj : net.projections) {
    auto same = [&](const Group &g) {
      return g.source == pj.source && g.receptor == pj.receptor &&
             g.weight == pj.weight;
    };
    auto it = std::find_if(groups.begin(), groups.end(), same);
    if (it == groups.end())
      groups.push_back({pj.source, pj.receptor, pj.weight, {}}),
          it = groups.end() - 1;
    it->members.push_back(&pj);
  }
  std::vector<flatbuffers::Offset<sb::Projection>> projs;
  // Per-synapse delays from their own generator, so the connectivity (and
  // the spikes of the delay-free network) stay as they are.
  std::mt19937_64 delayRng(net.synapses());
  std::uniform_int_distribution<uint32_t> delayOf(
      1, std::max<uint32_t>(1, net.maxSynapseDelay));
  const std::vector<uint32_t> delaySteps{net.delaySteps};
  for (const Group &g : groups) {
    std::vector<uint32_t> rowStart(size_t(total) + 1, 0);
    for (const ProjectionSpec *pj : g.members)
      for (int32_t i : pj->pre)
        ++rowStart[offset[g.source] + size_t(i) + 1];
    for (uint32_t i = 0; i < total; ++i)
      rowStart[i + 1] += rowStart[i];
    std::vector<uint32_t> targets(rowStart[total]), fill(rowStart);
    for (const ProjectionSpec *pj : g.members)
      for (size_t e = 0; e < pj->pre.size(); ++e)
        targets[fill[offset[g.source] + uint32_t(pj->pre[e])]++] =
            offset[pj->target] + uint32_t(pj->post[e]);
    std::vector<float> w{float(g.weight)}; // shared by every synapse
    std::vector<uint16_t> delays;
    if (net.maxSynapseDelay)
      for (size_t e = 0; e < targets.size(); ++e)
        delays.push_back(uint16_t(delayOf(delayRng)));
    auto sp = sb::CreateSparseDirect(b, &rowStart, &targets, &w,
                                     delays.empty() ? nullptr : &delays);
    const std::string name =
        net.populations[g.source].name + "->" +
        (g.receptor < 0 ? std::string("v") : n.receptors[g.receptor].name);
    projs.push_back(sb::CreateProjectionDirect(
        b, name.c_str(), 0, 0, sb::Connectivity::Sparse, sp.Union(),
        net.delaySteps ? &delaySteps : nullptr,
        /*recurrent=*/true, 0, uint8_t(g.receptor < 0 ? 0 : g.receptor)));
  }
  // The population is the output, so that snn-run can count and record it.
  std::vector<flatbuffers::Offset<sb::Port>> inputs,
      outputs{sb::CreatePortDirect(b, "neurons", 0, &shape)};
  auto disc = sb::CreateDiscretizationDirect(b, n.method.c_str(), net.dt);
  auto root = sb::CreateProgramDirect(b, kSnnbSchemaVersion, "network-bench",
                                      net.name.c_str(), sb::NumericMode::Float,
                                      disc, &pops, &projs, &inputs, &outputs);
  sb::FinishProgramBuffer(b, root);
  return snnc::sealedCopy(b.GetBufferPointer(), b.GetSize());
}

} // namespace snnc::bench
