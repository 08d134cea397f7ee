//===- snn-run.cpp - Run a compiled .snnb network
//-----------------------------===//
//
// snn-run OUT.snnb [--backend cpu] --input NAME=FILE.npy... --steps T
//         [--batch] [--record NODE=FILE.npy]... [--counts] [--raster FILE.svg]
//         [--nirdata FILE.h5] [--encode NAME=rate[:SEED]]...
//
// A thin main over the runtime API (Program, Device, Session).
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/Encoders.h"
#include "snnc/runtime/NirData.h"
#include "snnc/runtime/Npy.h"
#include "snnc/runtime/Raster.h"
#include "snnc/runtime/Session.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <stdexcept>

using namespace snnc;

namespace {

struct Options {
  std::string artifact, backend = "cpu", raster, nirdata;
  bool textRaster = false;
  std::vector<std::string> inputs, records, encodes;
  int64_t steps = 0;
  bool batch = false, counts = false;
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

int run(const Options &o) {
  if (o.steps <= 0)
    return fail("--steps must be a positive number of steps, got " +
                std::to_string(o.steps));
  auto program = Program::load(o.artifact);
  if (!program)
    return fail(program.status().message());
  DeviceOptions dopts;
  dopts.threads = o.threads;
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
  for (const PortInfo &p : (*program)->inputs())
    if (!inputs.count(p.name))
      std::cerr << "snn-run: note: input '" << p.name
                << "' not given; it stays 0\n";

  std::vector<std::pair<std::string, std::string>> records;
  for (const std::string &arg : o.records) {
    std::string name, file;
    if (!splitAssign(arg, name, file))
      return fail("--record expects NODE=FILE.npy, got '" + arg + "'");
    records.push_back({name, file});
  }
  // Outputs are always recorded, for --counts and the raster.
  std::vector<std::string> watched;
  for (auto &[n, f] : records)
    if (std::find(watched.begin(), watched.end(), n) == watched.end())
      watched.push_back(n);
  for (const PortInfo &p : (*program)->outputs())
    if (std::find(watched.begin(), watched.end(), p.name) == watched.end())
      watched.push_back(p.name);

  auto session = Session::create(*device, *program);
  if (!session)
    return fail(session.status().message());
  Session &s = **session;
  for (const std::string &n : watched)
    if (Status st = s.record(n); !st)
      return fail(st.message());

  // Per watched node: the concatenation over samples.
  std::map<std::string, SpikeTensor> spikeOut;
  std::map<std::string, Tensor> stateOut;
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
    if (Status st = s.run(o.steps); !st)
      return fail(st.message());
    for (const std::string &n : watched) {
      auto spiking = s.isSpiking(n);
      if (*spiking) {
        auto sp = s.spikes(n);
        SpikeTensor &acc = spikeOut[n];
        if (acc.shape.empty())
          acc.shape = sp->shape;
        acc.data.insert(acc.data.end(), sp->data.begin(), sp->data.end());
      } else {
        auto st = s.state(n);
        Tensor &acc = stateOut[n];
        if (acc.shape.empty())
          acc.shape = st->shape;
        acc.data.insert(acc.data.end(), st->data.begin(), st->data.end());
      }
    }
  }
  auto batched = [&](std::vector<int64_t> shape) {
    if (o.batch)
      shape.insert(shape.begin(), samples);
    return shape;
  };
  for (auto &[name, file] : records) {
    Status st;
    if (spikeOut.count(name)) {
      SpikeTensor t = spikeOut[name];
      t.shape = batched(t.shape);
      st = writeNpy(file, t);
    } else {
      Tensor t = stateOut[name];
      t.shape = batched(t.shape);
      st = writeNpy(file, t);
    }
    if (!st)
      return fail(st.message());
  }
  if (o.counts) {
    std::cout << "{";
    bool first = true;
    for (const PortInfo &p : (*program)->outputs()) {
      std::cout << (first ? "" : ", ") << json(p.name) << ": ";
      first = false;
      if (!spikeOut.count(p.name)) {
        std::cout << "null";
        continue;
      }
      const SpikeTensor &t = spikeOut[p.name];
      int64_t n = p.size, T = o.steps;
      std::cout << (o.batch ? "[" : "");
      for (int64_t b = 0; b < samples; ++b) {
        std::cout << (b ? ", " : "") << "[";
        for (int64_t i = 0; i < n; ++i) {
          int64_t c = 0;
          for (int64_t k = 0; k < T; ++k)
            c += t.data[(b * T + k) * n + i];
          std::cout << (i ? ", " : "") << c;
        }
        std::cout << "]";
      }
      std::cout << (o.batch ? "]" : "");
    }
    std::cout << "}\n";
  }
  if (!o.raster.empty()) {
    std::vector<RasterTrack> tracks;
    for (auto &[name, t] : spikeOut) {
      RasterTrack tr;
      tr.name = name;
      tr.steps = o.steps; // the first sample
      tr.neurons =
          numElements(std::vector<int64_t>(t.shape.begin() + 1, t.shape.end()));
      tr.spikes.assign(t.data.begin(), t.data.begin() + tr.steps * tr.neurons);
      tracks.push_back(std::move(tr));
    }
    double dt = (*program)->dt();
    if (Status st = writeRasterSvg(o.raster, tracks, dt, o.artifact); !st)
      return fail(st.message());
  }
  if (o.textRaster) {
    // One line per neuron, one column per bin of steps: '|' when the neuron
    // spiked in the bin. The first sample only.
    int64_t cols = std::min<int64_t>(o.steps, 100);
    int64_t per = (o.steps + cols - 1) / cols;
    for (auto &[name, t] : spikeOut) {
      int64_t n =
          numElements(std::vector<int64_t>(t.shape.begin() + 1, t.shape.end()));
      std::cout << name << " (" << n << " neurons, " << o.steps << " steps, "
                << per << " per column)\n";
      for (int64_t i = 0; i < std::min<int64_t>(n, 64); ++i) {
        std::string line(size_t(cols), '.');
        for (int64_t k = 0; k < o.steps; ++k)
          if (t.data[k * n + i])
            line[size_t(k / per)] = '|';
        std::cout << "  " << line << "\n";
      }
      if (n > 64)
        std::cout << "  (" << n - 64 << " more neurons not shown)\n";
    }
  }
  if (!o.nirdata.empty()) {
    std::vector<RecordedNode> nodes;
    for (auto &[name, t] : spikeOut) {
      RecordedObservable ob{"spikes", batched(t.shape),
                            std::vector<float>(t.data.begin(), t.data.end())};
      if (!o.batch)
        ob.shape.insert(ob.shape.begin(), 1);
      nodes.push_back({name, {std::move(ob)}});
    }
    for (auto &[name, t] : stateOut) {
      RecordedObservable ob{"v", batched(t.shape), t.data};
      if (!o.batch)
        ob.shape.insert(ob.shape.begin(), 1);
      nodes.push_back({name, {std::move(ob)}});
    }
    double dt = (*program)->dt();
    if (Status st = writeNirData(o.nirdata, dt, nodes); !st)
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
  app.add_option("--steps", o.steps, "number of steps to run")->required();
  app.add_flag("--batch", o.batch,
               "every input has a leading sample dimension; samples run "
               "independently (state reset) and outputs gain it too");
  app.add_option("--record", o.records,
                 "NODE=FILE.npy: spikes [T, ...] (uint8) of a spiking node, "
                 "else its state (float32)");
  app.add_flag("--counts", o.counts, "print per-output spike counts as JSON");
  app.add_option("--raster", o.raster, "draw a spike raster (SVG)");
  app.add_flag("--text-raster", o.textRaster,
               "print a spike raster of the outputs and recorded spiking "
               "nodes on the terminal");
  app.add_option("--nirdata", o.nirdata,
                 "write recordings in NIR's NIRData HDF5 layout");
  app.add_option("--encode", o.encodes,
                 "NAME=rate[:SEED]: present input NAME as Bernoulli spikes "
                 "with probability = value clipped to [0, 1] (rate "
                 "encoding, e.g. snnc --convert --input-encoding rate)");
  app.add_option("--threads", o.threads, "worker threads (0 = all cores)");
  CLI11_PARSE(app, argc, argv);
  return run(o);
}
