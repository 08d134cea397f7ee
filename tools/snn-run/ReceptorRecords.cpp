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
    records_.push_back(std::move(r));
  }
  return true;
}

Status ReceptorRecords::attach(Session &s) const {
  for (const Record &r : records_)
    if (Status st = s.recordReceptor(r.spec.node, r.receptor, r.spec.neurons);
        !st)
      return st;
  return Status::ok();
}

Status ReceptorRecords::collect(const Session &s) {
  for (Record &r : records_) {
    auto t = s.receptorState(r.spec.node, r.receptor);
    if (!t)
      return t.status();
    r.shape = t->shape;
    r.data.insert(r.data.end(), t->data.begin(), t->data.end());
  }
  return Status::ok();
}

Status ReceptorRecords::write(int64_t samples) const {
  for (const Record &r : records_) {
    Tensor t;
    t.shape = r.shape;
    if (samples > 0)
      t.shape.insert(t.shape.begin(), samples);
    t.data = r.data;
    if (Status st = writeNpy(r.spec.file, t); !st)
      return st;
  }
  return Status::ok();
}

} // namespace snnc::snnrun
