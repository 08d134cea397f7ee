//===- snn-run.cpp - Run a compiled .snnb network -------------------------===//
//
// snn-run OUT.snnb [--backend cpu] --input NAME=FILE.npy... --steps T
//         [--batch] [--record NODE[=|[i,a:b]=]FILE.npy]...
//         [--record-events NODE=FILE.npy]...
//         [--record-receptor NODE:RECEPTOR[=|[i,a:b]=]FILE.npy]...
//         [--counts] [--raster FILE.svg]
//         [--text-raster] [--nirdata FILE.h5] [--encode NAME=rate[:SEED]]...
//         [--threads N] [--quiet] [--rates] [--hw-report] [--trace FILE.fst]
//
// A thin main over the runtime API (Program, Device, Session). Only what an
// option asks for is recorded: --counts keeps counters, spikes are events.
//
//===----------------------------------------------------------------------===//
#include "HwReport.h"
#include "Info.h"
#include "NirDataPlugin.h"
#include "Progress.h"
#include "Rates.h"
#include "ReceptorRecords.h"
#include "RecordSpec.h"

#include "snnc/runtime/Encoders.h"
#include "snnc/runtime/Npy.h"
#include "snnc/runtime/Raster.h"
#include "snnc/runtime/Session.h"
#include "snnc/runtime/SpikeEvents.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <stdexcept>
#include <thread>

#include <unistd.h>

using namespace snnc;
using namespace snnc::snnrun;

namespace {

struct Options {
  std::string artifact, backend = "cpu", raster, nirdata, trace;
  bool hwReport = false;
  bool textRaster = false, quiet = false;
  std::vector<std::string> inputs, records, recordEvents, encodes,
      recordReceptors;
  int64_t steps = 0;
  bool batch = false, counts = false, rates = false, info = false;
  bool stepsGiven = false;
  int threads = 0;
};

int fail(const std::string &msg) {
  std::cerr << "snn-run: error: " << msg << "\n";
  return 1;
}

bool splitAssign(const std::string &arg, std::string &name, std::string &file) {
  size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size())
    return false;
  name = arg.substr(0, eq);
  file = arg.substr(eq + 1);
  return true;
}

// Rows [b] of a batched array: drops the leading sample dimension.
Tensor sample(const Tensor &t, int64_t b) {
  std::vector<int64_t> shape(t.shape.begin() + 1, t.shape.end());
  int64_t n = numElements(shape);
  return Tensor(shape, std::vector<float>(t.data.begin() + b * n,
                                          t.data.begin() + (b + 1) * n));
}

std::string json(const std::string &s) {
  std::string out = "\"";
  for (char c : s)
    out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

// What is asked of one node, and what its runs left (over all samples).
struct Node {
  bool spiking = false;
  bool events = false, counts = false, state = false;
  std::vector<int64_t> stateNeurons;       // empty: all
  std::vector<SpikeEvents> samples;        // events per sample
  std::vector<std::vector<float>> counts_; // per sample
  std::vector<int64_t> stateShape;         // [T, ...] of one sample
  std::vector<float> stateData;            // all samples
};

// Columns `cols` of a [.., T, n] state recording of all neurons.
Tensor columns(const std::vector<int64_t> &shape,
               const std::vector<float> &data,
               const std::vector<int64_t> &cols) {
  const size_t n = size_t(numElements(std::vector<int64_t>(
      shape.begin() + (shape.size() > 1 ? 1 : 0), shape.end())));
  const size_t rows = n ? data.size() / n : 0;
  Tensor out({int64_t(rows), int64_t(cols.size())});
  for (size_t r = 0; r < rows; ++r)
    for (size_t j = 0; j < cols.size(); ++j)
      out.data[r * cols.size() + j] = data[r * n + size_t(cols[j])];
  return out;
}

int run(const Options &o) {
  if (o.info) {
    auto program = Program::load(o.artifact);
    if (!program)
      return fail(program.status().message());
    printInfo(**program, std::cout);
    return 0;
  }
  if (!o.stepsGiven)
    return fail("--steps is required (the number of steps to run), except "
                "with --info");
  if (o.steps <= 0)
    return fail("--steps must be a positive number of steps, got " +
                std::to_string(o.steps));
  // Before anything runs, so that a missing writer costs no simulation.
  WriteNirDataFn *writer = nullptr;
  if (!o.nirdata.empty()) {
    auto w = loadNirDataWriter();
    if (!w)
      return fail(w.status().message());
    writer = *w;
  }
  auto loadStart = std::chrono::steady_clock::now();
  auto program = Program::load(o.artifact);
  if (!program)
    return fail(program.status().message());
  const Program &prog = **program;
  DeviceOptions dopts;
  dopts.threads = o.threads;
  dopts.traceFile = o.trace;
  if (!o.trace.empty() && o.backend != "rtl")
    return fail("--trace writes the waveform of the simulated chip: it needs "
                "--backend rtl (got '" +
                o.backend + "')");
  if (o.backend == "cuda" && o.threads > 0)
    std::cerr << "snn-run: --threads is ignored by the cuda backend (its "
                 "kernels use the whole GPU)\n";
  auto device = Device::open(o.backend, dopts);
  if (!device)
    return fail(device.status().message());

  std::map<std::string, Tensor> inputs;
  int64_t samples = 1;
  for (const std::string &arg : o.inputs) {
    std::string name, file;
    if (!splitAssign(arg, name, file))
      return fail("--input expects NAME=FILE.npy, got '" + arg + "'");
    auto t = readNpy(file);
    if (!t)
      return fail(t.status().message());
    if (o.batch) {
      if (t->shape.empty())
        return fail("--batch: input '" + name + "' (" + file +
                    ") has no leading sample dimension");
      if (!inputs.empty() && t->shape[0] != samples)
        return fail("--batch: input '" + name + "' has " +
                    std::to_string(t->shape[0]) + " samples, the others " +
                    std::to_string(samples));
      samples = t->shape[0];
    }
    inputs[name] = std::move(*t);
  }
  // Rate-coded inputs (e.g. for converted ANNs): Bernoulli spikes per step,
  // one seed per sample so that batches are reproducible.
  std::map<std::string, uint64_t> rateSeed;
  for (const std::string &arg : o.encodes) {
    std::string name, spec;
    if (!splitAssign(arg, name, spec) || spec.rfind("rate", 0) != 0 ||
        (spec.size() > 4 && spec[4] != ':'))
      return fail("--encode expects NAME=rate or NAME=rate:SEED, got '" + arg +
                  "'");
    uint64_t seed = 1;
    if (spec.size() > 5) {
      try {
        size_t used = 0;
        seed = std::stoull(spec.substr(5), &used);
        if (used != spec.size() - 5)
          throw std::invalid_argument("seed");
      } catch (const std::exception &) {
        return fail("--encode: bad seed in '" + arg + "'");
      }
    }
    if (!inputs.count(name))
      return fail("--encode: '" + name + "' is not given with --input");
    rateSeed[name] = seed;
  }
  for (const PortInfo &p : prog.inputs())
    if (!inputs.count(p.name))
      std::cerr << "snn-run: note: input '" << p.name
                << "' not given; it stays 0\n";

  auto session = Session::create(*device, *program);
  if (!session)
    return fail(session.status().message());
  // Loading, verification and engine set-up (procedural expansion included).
  double setupSeconds = std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - loadStart)
                            .count();
  Session &s = **session;

  // What each option asks for. Outputs are recorded only for the options
  // that draw or store them (rasters, NIRData); --counts only counts.
  std::map<std::string, Node> nodes;
  std::vector<RecordSpec> records, eventRecords;
  auto node = [&](const std::string &name) -> StatusOr<Node *> {
    auto spiking = s.isSpiking(name);
    if (!spiking)
      return spiking.status();
    Node &n = nodes[name];
    n.spiking = *spiking;
    return &n;
  };
  std::string error;
  for (const std::string &arg : o.records) {
    auto spec = parseRecordSpec(prog, "--record", arg, error);
    if (!spec)
      return fail(error);
    auto n = node(spec->node);
    if (!n)
      return fail(n.status().message()); // it names the node
    if (spec->chosen) {
      // One state selection per node: a second, different one (or a full
      // recording) records every neuron and cuts columns out afterwards.
      if (!(*n)->state)
        (*n)->stateNeurons = spec->neurons;
      else if ((*n)->stateNeurons != spec->neurons)
        (*n)->stateNeurons.clear();
      (*n)->state = true;
    } else if ((*n)->spiking) {
      (*n)->events = true;
    } else {
      (*n)->state = true;
      (*n)->stateNeurons.clear();
    }
    records.push_back(std::move(*spec));
  }
  for (const std::string &arg : o.recordEvents) {
    auto spec = parseRecordSpec(prog, "--record-events", arg, error);
    if (!spec)
      return fail(error);
    if (spec->chosen)
      return fail("--record-events '" + arg +
                  "': takes a whole node (NODE=FILE.npy); the file holds "
                  "flat neuron indices");
    auto n = node(spec->node);
    if (!n)
      return fail(n.status().message());
    if (!(*n)->spiking)
      return fail("--record-events '" + arg + "': '" + spec->node +
                  "' does not spike; record its state with --record");
    (*n)->events = true;
    eventRecords.push_back(std::move(*spec));
  }
  ReceptorRecords receptorRecords;
  if (!receptorRecords.parse(prog, o.recordReceptors, error))
    return fail(error);
  if (Status st = receptorRecords.attach(s); !st)
    return fail(st.message());
  const bool drawOrStore =
      !o.raster.empty() || o.textRaster || !o.nirdata.empty();
  for (const PortInfo &p : prog.outputs()) {
    auto n = node(p.name);
    if (!n)
      return fail(n.status().message());
    if ((*n)->spiking) {
      (*n)->counts |= o.counts;
      (*n)->events |= drawOrStore;
    } else if (!o.nirdata.empty() && !(*n)->state) {
      (*n)->state = true;
    }
  }
  for (auto &[name, n] : nodes) {
    Status st;
    if (n.events && (st = s.record(name)); !st)
      return fail(st.message());
    if (n.counts && !n.events && (st = s.count(name)); !st)
      return fail(st.message());
    if (n.state)
      st = n.stateNeurons.empty() ? s.recordState(name)
                                  : s.recordState(name, n.stateNeurons);
    if (!st)
      return fail(st.message());
  }

  RateReport rates;
  if (o.rates)
    if (Status st = rates.attach(s); !st)
      return fail(st.message());
  double runSeconds = 0;
  HardwareReport hw;
  ProgressLine progress(!o.quiet && isatty(STDERR_FILENO), prog.dt(), samples,
                        o.steps);
  progress.attach(s);
  for (int64_t b = 0; b < samples; ++b) {
    s.reset();
    for (auto &[name, t] : inputs) {
      Tensor in = o.batch ? sample(t, b) : t;
      if (auto it = rateSeed.find(name); it != rateSeed.end()) {
        auto spikes = encodeRate(in, o.steps, it->second + uint64_t(b));
        if (!spikes)
          return fail("--encode " + name + ": " + spikes.status().message());
        in = std::move(*spikes);
      }
      if (Status st = s.setInput(name, std::move(in)); !st)
        return fail(st.message());
    }
    progress.startSample(b);
    auto t0 = std::chrono::steady_clock::now();
    if (Status st = s.run(o.steps); !st)
      return fail(st.message());
    runSeconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    if (o.rates)
      rates.addSample(s);
    if (o.hwReport) {
      HardwareReport one;
      if (!s.hardwareReport(one))
        return fail("--hw-report: backend '" + o.backend +
                    "' has no hardware counters (use --backend rtl)");
      addHardwareReport(hw, one);
    }
    progress.endSample(s.stats().spikes);
    if (Status st = receptorRecords.collect(s); !st)
      return fail(st.message());
    for (auto &[name, n] : nodes) {
      if (n.events)
        n.samples.push_back(std::move(*s.takeSpikeEvents(name)));
      if (n.counts)
        n.counts_.push_back(std::move(s.spikeCounts(name)->data));
      if (n.state) {
        auto st = s.takeState(name);
        n.stateShape = st->shape;
        if (n.stateData.empty())
          n.stateData = std::move(st->data);
        else
          n.stateData.insert(n.stateData.end(), st->data.begin(),
                             st->data.end());
      }
    }
  }
  progress.finish();

  auto batched = [&](std::vector<int64_t> shape) {
    if (o.batch)
      shape.insert(shape.begin(), samples);
    return shape;
  };
  for (const RecordSpec &r : records) {
    Node &n = nodes[r.node];
    Status st;
    if (!r.chosen && n.spiking) {
      st = writeSpikesNpy(r.file, n.samples, o.batch);
    } else if (!r.chosen || n.stateNeurons == r.neurons) {
      // Lent to the writer, not copied (the NIRData writer reads it later).
      Tensor t;
      t.shape = batched(n.stateShape);
      t.data.swap(n.stateData);
      st = writeNpy(r.file, t);
      t.data.swap(n.stateData);
    } else {
      // The node's recording holds every neuron: cut out r's columns.
      Tensor t = columns(n.stateShape, n.stateData, r.neurons);
      t.shape = batched({o.steps, int64_t(r.neurons.size())});
      st = writeNpy(r.file, t);
    }
    if (!st)
      return fail(st.message());
  }
  for (const RecordSpec &r : eventRecords)
    if (Status st = writeEventsNpy(r.file, nodes[r.node].samples, o.batch); !st)
      return fail(st.message());
  if (Status st = receptorRecords.write(o.batch ? samples : 0); !st)
    return fail(st.message());

  if (o.rates) {
    // The rtl backend simulates on one thread whatever --threads says.
    int64_t threads = o.backend == "rtl" ? 1
                      : o.threads > 0
                          ? o.threads
                          : std::max(1u, std::thread::hardware_concurrency());
    std::cout << "rates (" << samples << " sample(s) of " << o.steps
              << " steps, dt " << prog.dt() << " s):\n";
    rates.print(std::cout, prog.dt(), o.steps, runSeconds, threads);
    std::printf("  loaded and set up in %.3f s (connection rules expanded "
                "then)\n",
                setupSeconds);
  }
  if (o.hwReport)
    printHardwareReport(std::cout, hw, runSeconds);
  if (o.counts) {
    std::cout << "{";
    bool first = true;
    for (const PortInfo &p : prog.outputs()) {
      std::cout << (first ? "" : ", ") << json(p.name) << ": ";
      first = false;
      const Node &n = nodes[p.name];
      if (!n.spiking) {
        std::cout << "null";
        continue;
      }
      std::cout << (o.batch ? "[" : "");
      for (int64_t b = 0; b < samples; ++b) {
        std::cout << (b ? ", " : "") << "[";
        const std::vector<float> &c = n.counts_[size_t(b)];
        for (size_t i = 0; i < c.size(); ++i)
          std::cout << (i ? ", " : "") << int64_t(c[i]);
        std::cout << "]";
      }
      std::cout << (o.batch ? "]" : "");
    }
    std::cout << "}\n";
  }
  if (!o.raster.empty()) {
    std::vector<RasterTrack> tracks;
    for (auto &[name, n] : nodes) {
      if (!n.events)
        continue;
      const SpikeEvents &e = n.samples.front(); // the first sample
      RasterTrack tr;
      tr.name = name;
      tr.steps = o.steps;
      tr.neurons = e.neurons();
      tr.spikes = std::move(denseSpikes(e).data);
      tracks.push_back(std::move(tr));
    }
    double dt = prog.dt();
    if (Status st = writeRasterSvg(o.raster, tracks, dt, o.artifact); !st)
      return fail(st.message());
  }
  if (o.textRaster) {
    // One line per neuron, one column per bin of steps: '|' when the neuron
    // spiked in the bin. The first sample only.
    int64_t cols = std::min<int64_t>(o.steps, 100);
    int64_t per = (o.steps + cols - 1) / cols;
    for (auto &[name, n] : nodes) {
      if (!n.events)
        continue;
      const SpikeEvents &e = n.samples.front();
      const int64_t count = e.neurons();
      const int64_t shown = std::min<int64_t>(count, 64);
      std::vector<std::string> lines(size_t(shown), std::string(cols, '.'));
      for (size_t i = 0; i < e.size(); ++i)
        if (int64_t(e.indices[i]) < shown)
          lines[e.indices[i]][size_t(e.steps[i] / per)] = '|';
      std::cout << name << " (" << count << " neurons, " << o.steps
                << " steps, " << per << " per column)\n";
      for (const std::string &line : lines)
        std::cout << "  " << line << "\n";
      if (count > 64)
        std::cout << "  (" << count - 64 << " more neurons not shown)\n";
    }
  }
  if (!o.nirdata.empty()) {
    std::vector<RecordedNode> out;
    for (auto &[name, n] : nodes) {
      RecordedNode rn{name, {}};
      if (n.events) {
        RecordedObservable ob;
        ob.name = "spikes";
        ob.events = n.samples;
        rn.observables.push_back(std::move(ob));
      }
      if (n.state) {
        RecordedObservable ob{"v", batched(n.stateShape), n.stateData};
        if (!o.batch)
          ob.shape.insert(ob.shape.begin(), 1);
        ob.neurons = n.stateNeurons;
        rn.observables.push_back(std::move(ob));
      }
      if (!rn.observables.empty())
        out.push_back(std::move(rn));
    }
    Status st;
    (*writer)(o.nirdata, prog.dt(), out, &st);
    if (!st)
      return fail(st.message());
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  CLI::App app{"snn-run: run a compiled spiking network (.snnb)"};
  app.add_option("artifact", o.artifact, "OUT.snnb from snnc")->required();
  app.add_option("--backend", o.backend, "device: cpu, cuda, rtl");
  app.add_option("--input", o.inputs,
                 "NAME=FILE.npy; rank = the input's rank: held for every "
                 "step; rank + 1: one row per step");
  app.add_option("--steps", o.steps,
                 "number of steps to run (required, except with --info)");
  app.add_flag("--info", o.info,
               "print what the artifact holds (populations, projections, "
               "ports, and its mapping onto a target's cores and routers) "
               "and exit without running it");
  app.add_flag("--batch", o.batch,
               "every input has a leading sample dimension; samples run "
               "independently (state reset) and outputs gain it too");
  app.add_option("--record", o.records,
                 "NODE=FILE.npy: spikes [T, ...] (uint8) of a spiking node, "
                 "else its state (float32); NODE[i,j,a:b]=FILE.npy: the "
                 "state [T, k] (float32) of the k neurons listed (flat "
                 "indices, a:b half-open)");
  app.add_option("--record-receptor", o.recordReceptors,
                 "NODE:RECEPTOR=FILE.npy or NODE:RECEPTOR[i,j,a:b]=FILE.npy: "
                 "a ReceptorLIF receptor's state g after every step, float32 "
                 "[T, ...] (runs step by step)");
  app.add_option("--record-events", o.recordEvents,
                 "NODE=FILE.npy: the spikes of a spiking node as int64 rows "
                 "(step, flat neuron index), [n, 2]; with --batch (sample, "
                 "step, index), [n, 3]");
  app.add_flag("--counts", o.counts,
               "print per-output spike counts as JSON (counted, nothing "
               "recorded)");
  app.add_flag("--rates", o.rates,
               "print every spiking population's mean rate (Hz) and the "
               "run's speed (counted, nothing recorded)");
  app.add_option("--raster", o.raster, "draw a spike raster (SVG)");
  app.add_flag("--text-raster", o.textRaster,
               "print a spike raster of the outputs and recorded spiking "
               "nodes on the terminal");
  app.add_option("--nirdata", o.nirdata,
                 "write the outputs and recordings in NIR's NIRData HDF5 "
                 "layout (spikes as EventData, state as TimeGriddedData)");
  app.add_option("--encode", o.encodes,
                 "NAME=rate[:SEED]: present input NAME as Bernoulli spikes "
                 "with probability = value clipped to [0, 1] (rate "
                 "encoding, e.g. snnc --convert --input-encoding rate)");
  app.add_option("--threads", o.threads, "worker threads (0 = all cores)");
  app.add_flag("--hw-report", o.hwReport,
               "rtl: print cycles per step, synaptic events per cycle, "
               "per-core activity and the target's energy estimate");
  app.add_option("--trace", o.trace,
                 "rtl: write every simulated cycle as an FST waveform "
                 "(GTKWave); chip i > 0 of a mesh to FILE.chip<i>.fst");
  app.add_flag("--quiet", o.quiet,
               "no progress line on stderr (it is shown only on a terminal, "
               "for runs past 2 s)");
  CLI11_PARSE(app, argc, argv);
  o.stepsGiven = app.count("--steps") > 0;
  return run(o);
}
