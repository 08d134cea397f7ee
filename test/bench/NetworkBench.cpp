//===- NetworkBench.cpp - Simulator-comparison networks on our engine -----===//
//
//   network-bench generate NAME --out DIR [--seed S] [--duration SEC]
//                 [--no-description]
//     Writes DIR/net.snnb (our artifact) and DIR/network.json with its .npy
//     arrays (the same network for a peer simulator; docs/benchmarks.md).
//   network-bench export ARTIFACT.snnb --out DIR [--duration SEC]
//     Copies a compiled artifact to DIR/net.snnb and writes DIR/network.json
//     with its .npy arrays from what the artifact holds (synapses, weights,
//     delays, initial potentials; continuous parameters derived from the
//     per-step constants), so the peer simulator runs the network our
//     compiler produced.
//   network-bench run DIR|ARTIFACT.snnb [--threads T] [--repeats R]
//                 [--duration SEC] [--device NAME]
//     Loads DIR/net.snnb (or ARTIFACT.snnb, DIR being its directory) and
//     simulates it R times from a reset, recording every spike;
//     writes DIR/snnc-tT/result.json and spikes_index.npy / spikes_step.npy
//     (global neuron index and step of each spike of the last repeat), and
//     prints the load and loop times of each repeat and their medians.
//
// Times are wall-clock (steady_clock): load_s covers reading and verifying
// the artifact and instantiating the engine (once), loop_s the step loop
// with spike recording (per repeat), process_s their sums.
//
//===----------------------------------------------------------------------===//
#include "ArtifactExport.h"
#include "BenchNetworks.h"

#include "snnc/runtime/Engine.h"
#include "snnc/runtime/Npy.h"
#include "snnc/runtime/Program.h"
#include "snnc/runtime/Session.h"
#include "snnc/schema/snnb_generated.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int fail(const std::string &message) {
  std::fprintf(stderr, "network-bench: %s\n", message.c_str());
  return 2;
}

bool writeFile(const fs::path &path, const void *data, size_t size) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(static_cast<const char *>(data), std::streamsize(size));
    if (!out)
      return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

/// The "duration" a network.json next to the artifact states, else 1 s.
double describedDuration(const fs::path &dir) {
  std::ifstream in(dir / "network.json");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const size_t at = text.find("\"duration\":");
  return at == std::string::npos ? 1.0
                                 : std::strtod(text.c_str() + at + 11, nullptr);
}

int generate(const std::string &name, const std::string &out, uint64_t seed,
             double duration, bool description) {
  std::string error;
  auto net = snnc::bench::makeNetwork(name, seed, &error);
  if (!net)
    return fail(error);
  if (duration > 0)
    net->duration = duration;
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec)
    return fail("cannot create " + out + ": " + ec.message());
  const std::vector<uint8_t> bytes = snnc::bench::buildArtifact(*net);
  // Verify what we wrote exactly as the runtime will read it.
  auto program = snnc::Program::fromBytes(bytes, name);
  if (!program.isOk())
    return fail(program.status().toString());
  if (!writeFile(fs::path(out) / "net.snnb", bytes.data(), bytes.size()))
    return fail("cannot write " + out + "/net.snnb");
  if (description)
    if (std::string e = snnc::bench::writeDescription(*net, out); !e.empty())
      return fail(e);
  std::printf("%s: %u neurons, %llu synapses, %.1f MB artifact -> %s\n",
              net->name.c_str(), net->neurons(),
              (unsigned long long)net->synapses(), bytes.size() / 1e6,
              out.c_str());
  return 0;
}

int exportArtifact(const std::string &artifact, const std::string &out,
                   double duration) {
  auto program = snnc::Program::load(artifact);
  if (!program.isOk())
    return fail(program.status().toString());
  std::string error;
  std::vector<std::string> notes;
  auto net = snnc::bench::networkFromArtifact(
      **program, duration > 0 ? duration : 1.0, &error, &notes);
  if (!net)
    return fail(error);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec)
    return fail("cannot create " + out + ": " + ec.message());
  const fs::path copy = fs::path(out) / "net.snnb";
  if (!fs::exists(copy) || !fs::equivalent(artifact, copy, ec))
    fs::copy_file(artifact, copy, fs::copy_options::overwrite_existing, ec);
  if (ec)
    return fail("cannot copy " + artifact + " to " + copy.string() + ": " +
                ec.message());
  if (std::string e = snnc::bench::writeDescription(*net, out); !e.empty())
    return fail(e);
  for (const std::string &note : notes)
    std::fprintf(stderr, "network-bench: note: %s\n", note.c_str());
  const snnc::bench::NeuronSpec &n = net->neuron;
  std::printf("%s: %u neurons in %zu populations, %llu synapses, %s, tau_m "
              "%.6g s, v_rest %.6g V -> %s\n",
              net->name.c_str(), net->neurons(), net->populations.size(),
              (unsigned long long)net->synapses(), n.method.c_str(), n.tauM,
              n.vRest, out.c_str());
  return 0;
}

/// Records every spike as (global index, step), as a spike monitor does,
/// from the engine's spike lists.
class Recorder final : public snnc::StepObserver {
public:
  Recorder(const snnc::Engine &e, const std::vector<int32_t> &offset,
           uint32_t largest, std::vector<int32_t> &index,
           std::vector<int32_t> &step)
      : e_(e), offset_(offset), index_(index), step_(step), scratch_(largest) {}
  void afterStep(int64_t t) override {
    for (uint32_t p = 0; p < offset_.size(); ++p) {
      const uint32_t n = e_.spikeIndices(p, scratch_.data());
      for (uint32_t k = 0; k < n; ++k) {
        index_.push_back(offset_[p] + int32_t(scratch_[k]));
        step_.push_back(int32_t(t));
      }
    }
  }

private:
  const snnc::Engine &e_;
  const std::vector<int32_t> &offset_;
  std::vector<int32_t> &index_, &step_;
  std::vector<uint32_t> scratch_;
};

struct Repeat {
  double load = 0, loop = 0;
  int64_t spikes = 0, events = 0;
};

int run(const std::string &dirArg, int threads, int repeats, double duration,
        const std::string &deviceName) {
  // DIR holds net.snnb; an artifact path (snnc -o X.snnb) runs X.snnb
  // with its directory as DIR.
  const bool file = fs::path(dirArg).extension() == ".snnb";
  const fs::path dir = file ? fs::path(dirArg).parent_path() : fs::path(dirArg);
  const fs::path artifact = file ? fs::path(dirArg) : dir / "net.snnb";
  if (duration <= 0)
    duration = describedDuration(dir);
  snnc::DeviceOptions options;
  options.threads = threads;
  auto device = snnc::Device::open(deviceName, options);
  if (!device.isOk())
    return fail(device.status().toString());
  // One engine for all repeats, reset in between: its threads stay alive,
  // as in an application that runs a network many times.
  const auto t0 = Clock::now();
  auto program = snnc::Program::load(artifact.string());
  if (!program.isOk())
    return fail(program.status().toString());
  auto engine = (*device)->driver().instantiate(**program, options);
  if (!engine.isOk())
    return fail(engine.status().toString());
  const double load = since(t0);
  std::vector<int32_t> offset, sizes;
  int32_t total = 0;
  for (const snnc::snnb::Population *p : *(*program)->fb().populations()) {
    offset.push_back(total);
    sizes.push_back(int32_t(p->size()));
    total += int32_t(p->size());
  }
  const int64_t steps = std::llround(duration / (*program)->dt());
  snnc::Engine &e = **engine;
  std::vector<Repeat> results;
  std::vector<int32_t> spikeIndex, spikeStep;
  spikeIndex.reserve(size_t(total) * 64);
  spikeStep.reserve(size_t(total) * 64);
  for (int r = 0; r < repeats; ++r) {
    spikeIndex.clear();
    spikeStep.clear();
    e.reset();
    Repeat rep;
    rep.load = load;
    Recorder recorder(e, offset,
                      uint32_t(*std::max_element(sizes.begin(), sizes.end())),
                      spikeIndex, spikeStep);
    const auto t1 = Clock::now();
    e.run(steps, &recorder);
    rep.loop = since(t1);
    const snnc::EngineStats st = e.stats();
    rep.spikes = st.spikes;
    rep.events = st.synapticEvents;
    results.push_back(rep);
    std::printf("repeat %d: load %.4f s, loop %.4f s, %lld spikes (%.2f Hz), "
                "%.3g synaptic events/s\n",
                r + 1, rep.load, rep.loop, (long long)rep.spikes,
                rep.spikes / (double(total) * duration), rep.events / rep.loop);
  }
  std::vector<double> loads{load}, loops;
  for (const Repeat &r : results)
    loops.push_back(r.loop);
  const double loop = median(loops);
  const Repeat &last = results.back();
  std::printf("median: load %.4f s, loop %.4f s per %.3g simulated s, "
              "%.3g synaptic events/s (%.3g per thread)\n",
              median(loads), loop, duration, last.events / loop,
              last.events / loop / std::max(threads, 1));

  const fs::path out = dir / ("snnc-t" + std::to_string(threads));
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec)
    return fail("cannot create " + out.string() + ": " + ec.message());
  using snnc::bench::writeNpy1d;
  if (!writeNpy1d((out / "spikes_index.npy").string(), "<i4", spikeIndex.size(),
                  4, spikeIndex.data()) ||
      !writeNpy1d((out / "spikes_step.npy").string(), "<i4", spikeStep.size(),
                  4, spikeStep.data()))
    return fail("cannot write the spikes under " + out.string());
  std::string json = "{\n  \"device\": \"" + deviceName +
                     "\",\n  \"threads\": " + std::to_string(threads) +
                     ",\n  \"duration\": " + std::to_string(duration);
  auto list = [&](const char *key, const std::vector<double> &v) {
    json += std::string(",\n  \"") + key + "\": [";
    for (size_t i = 0; i < v.size(); ++i) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%.6f", i ? ", " : "", v[i]);
      json += buf;
    }
    json += "]";
  };
  std::vector<double> process;
  for (const Repeat &r : results)
    process.push_back(r.load + r.loop);
  list("load_s", loads);
  list("loop_s", loops);
  list("process_s", process);
  json += ",\n  \"spikes\": " + std::to_string(last.spikes) +
          ",\n  \"synaptic_events\": " + std::to_string(last.events) + "\n}\n";
  if (!writeFile(out / "result.json", json.data(), json.size()))
    return fail("cannot write " + (out / "result.json").string());
  return 0;
}

/// Inference throughput of an artifact with an input port (a converted
/// ANN): every sample of `inputFile` ([N, ...port shape]) is presented for
/// `steps` steps from a reset network.
int runSamples(const std::string &artifact, const std::string &inputSpec,
               int64_t steps, int threads, int repeats,
               const std::string &deviceName) {
  const size_t eq = inputSpec.find('=');
  if (eq == std::string::npos)
    return fail("--input takes NAME=FILE.npy, got '" + inputSpec + "'");
  const std::string name = inputSpec.substr(0, eq);
  auto program = snnc::Program::load(artifact);
  if (!program.isOk())
    return fail(program.status().toString());
  const snnc::PortInfo *port = (*program)->findInput(name);
  if (!port)
    return fail(artifact + " has no input named '" + name + "'");
  auto x = snnc::readNpy(inputSpec.substr(eq + 1));
  if (!x.isOk())
    return fail(x.status().toString());
  const snnc::Tensor &in = *x;
  if (in.shape.size() != port->shape.size() + 1 ||
      !std::equal(port->shape.begin(), port->shape.end(), in.shape.begin() + 1))
    return fail("input '" + name + "' needs shape [N, " +
                snnc::shapeString(port->shape).substr(1) + ", got " +
                snnc::shapeString(in.shape));
  snnc::DeviceOptions options;
  options.threads = threads;
  auto device = snnc::Device::open(deviceName, options);
  if (!device.isOk())
    return fail(device.status().toString());
  auto engine = (*device)->driver().instantiate(**program, options);
  if (!engine.isOk())
    return fail(engine.status().toString());
  snnc::Engine &e = **engine;
  const int64_t samples = in.shape[0];
  std::vector<double> walls;
  int64_t events = 0;
  for (int r = 0; r < repeats; ++r) {
    int64_t counted = 0;
    const auto t0 = Clock::now();
    for (int64_t k = 0; k < samples; ++k) {
      e.reset();
      e.setSource(port->population, in.data.data() + k * port->size);
      e.run(steps, nullptr);
      counted += e.stats().synapticEvents; // reset() clears the counters
    }
    walls.push_back(since(t0));
    events = counted;
  }
  const double wall = median(walls);
  std::printf("%lld samples x %lld steps, %d thread(s): median %.4f s "
              "(%.1f us per sample), %.3g synaptic events/s (%.3g per "
              "thread)\n",
              (long long)samples, (long long)steps, threads, wall,
              1e6 * wall / double(samples), events / wall,
              events / wall / std::max(threads, 1));
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"The simulator-comparison networks on snnc's engine"};
  app.require_subcommand(1);
  std::string name, out, dir, device = "cpu";
  uint64_t seed = 1;
  double duration = 0;
  bool noDescription = false;
  int threads = 1, repeats = 5;
  auto *gen = app.add_subcommand("generate", "write a network");
  gen->add_option("name", name, snnc::bench::networkNames())->required();
  gen->add_option("--out", out, "output directory")->required();
  gen->add_option("--seed", seed, "connectivity and initial-state seed");
  gen->add_option("--duration", duration, "simulated seconds (default 1)");
  gen->add_flag("--no-description", noDescription,
                "write only net.snnb, not network.json and its arrays");
  std::string artifact;
  auto *exp = app.add_subcommand(
      "export", "describe a compiled artifact for the peer simulator");
  exp->add_option("artifact", artifact, "a float-mode .snnb (snnc -o)")
      ->required();
  exp->add_option("--out", out, "output directory")->required();
  exp->add_option("--duration", duration, "simulated seconds (default 1)");
  auto *runCmd = app.add_subcommand("run", "simulate a written network");
  runCmd
      ->add_option("dir", dir,
                   "directory written by generate or export, or a .snnb")
      ->required();
  runCmd->add_option("--threads", threads, "engine threads")
      ->check(CLI::Range(1, 256));
  runCmd->add_option("--repeats", repeats, "runs to time")
      ->check(CLI::Range(1, 1000));
  runCmd->add_option("--duration", duration,
                     "simulated seconds (default: network.json's)");
  runCmd->add_option("--device", device, "backend");
  std::string input;
  int64_t steps = 32;
  runCmd->add_option("--input", input,
                     "NAME=FILE.npy: run an artifact with an input port "
                     "(DIR may be the .snnb) once per sample of FILE");
  runCmd->add_option("--steps", steps, "steps per sample with --input")
      ->check(CLI::Range(int64_t(1), int64_t(1) << 30));
  CLI11_PARSE(app, argc, argv);
  if (gen->parsed())
    return generate(name, out, seed, duration, !noDescription);
  if (exp->parsed())
    return exportArtifact(artifact, out, duration);
  if (!input.empty())
    return runSamples(fs::path(dir).extension() == ".snnb"
                          ? dir
                          : (fs::path(dir) / "net.snnb").string(),
                      input, steps, threads, repeats, device);
  return run(dir, threads, repeats, duration, device);
}
