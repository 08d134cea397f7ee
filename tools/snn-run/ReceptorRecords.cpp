//===- ReceptorRecords.cpp - snn-run --record-receptor --------------------===//
#include "ReceptorRecords.h"

#include "snnc/runtime/Npy.h"

namespace snnc::snnrun {

bool ReceptorRecords::parse(const Program &program,
                            const std::vector<std::string> &args,
                            std::string &error) {
  for (const std::string &arg : args) {
    // NODE:RECEPTOR, then what --record takes after NODE.
    const size_t end = arg.find_first_of("[=");
    const size_t colon = arg.rfind(':', end);
    if (colon == std::string::npos || colon == 0 || colon + 1 == end ||
        end == std::string::npos) {
      error = "--record-receptor expects NODE:RECEPTOR=FILE.npy or "
              "NODE:RECEPTOR[i,j,a:b]=FILE.npy, got '" +
              arg + "'";
      return false;
    }
    Record r;
    r.receptor = arg.substr(colon + 1, end - colon - 1);
    auto spec = parseRecordSpec(program, "--record-receptor",
                                arg.substr(0, colon) + arg.substr(end), error);
    if (!spec)
      return false;
    r.spec = std::move(*spec);
    // One selection per receptor: a second, different one records all.
    Key key{r.spec.node, r.receptor};
    auto [it, first] =
        recordings_.try_emplace(key, Recording{r.spec.neurons, {}, {}});
    if (!first && it->second.neurons != r.spec.neurons)
      it->second.neurons.clear();
    records_.push_back(std::move(r));
  }
  return true;
}

Status ReceptorRecords::attach(Session &s) const {
  for (const auto &[key, rec] : recordings_)
    if (Status st = s.recordReceptor(key.first, key.second, rec.neurons); !st)
      return st;
  return Status::ok();
}

Status ReceptorRecords::collect(const Session &s) {
  for (auto &[key, rec] : recordings_) {
    auto t = s.receptorState(key.first, key.second);
    if (!t)
      return t.status();
    rec.shape = t->shape;
    rec.data.insert(rec.data.end(), t->data.begin(), t->data.end());
  }
  return Status::ok();
}

Status ReceptorRecords::write(int64_t samples) const {
  for (const Record &r : records_) {
    const Recording &rec = recordings_.at({r.spec.node, r.receptor});
    Tensor t;
    if (rec.neurons == r.spec.neurons) {
      t.shape = rec.shape;
      t.data = rec.data;
    } else {
      // The recording holds every neuron: this file takes its columns.
      int64_t n = 1;
      for (size_t d = 1; d < rec.shape.size(); ++d)
        n *= rec.shape[d];
      const size_t rows = n ? rec.data.size() / size_t(n) : 0;
      for (size_t row = 0; row < rows; ++row)
        for (int64_t i : r.spec.neurons)
          t.data.push_back(rec.data[row * size_t(n) + size_t(i)]);
      t.shape = {rec.shape[0], int64_t(r.spec.neurons.size())};
    }
    if (samples > 0)
      t.shape.insert(t.shape.begin(), samples);
    if (Status st = writeNpy(r.spec.file, t); !st)
      return st;
  }
  return Status::ok();
}

} // namespace snnc::snnrun
