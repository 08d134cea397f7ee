//===- NirData.cpp - NIRGraphData HDF5 writer -----------------------------===//
//
// Mirrors what NIR's nir.write_data (nir/serialization.py) produces through
// h5py, so that nir.read_data accepts our files: see NirData.h.
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/NirData.h"

#include "IoUtil.h"
#include "snnc/runtime/Tensor.h"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>
#include <utility>

namespace snnc {
namespace {

// Owns one HDF5 identifier and closes it with the matching H5?close, so no
// early return leaks a handle (a leaked file handle would keep the file
// open and make the rename race the flush).
class Handle {
public:
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), closer_(closer) {}
  Handle(const Handle &) = delete;
  Handle &operator=(const Handle &) = delete;
  ~Handle() { close(); }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now and reports whether HDF5 managed to (for the file, whose
  // close is where buffered data reaches the disk).
  bool close() {
    herr_t rc = id_ >= 0 ? closer_(id_) : 0;
    id_ = -1;
    return rc >= 0;
  }

private:
  hid_t id_;
  herr_t (*closer_)(hid_t);
};

// HDF5 prints its error stack to stderr by default; a library must not,
// and callers may have their own setting, so it is put back afterwards.
class QuietHdf5Errors {
public:
  QuietHdf5Errors() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietHdf5Errors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

private:
  H5E_auto2_t func_ = nullptr;
  void *data_ = nullptr;
};

// The most specific message on HDF5's error stack, which is where the
// useful part (e.g. "errno = 28, No space left on device") sits.
std::string hdf5Detail() {
  std::string detail;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t *err, void *out) -> herr_t {
        if (n == 0 && err->desc)
          *static_cast<std::string *>(out) = err->desc;
        return 0;
      },
      &detail);
  H5Eclear2(H5E_DEFAULT);
  return detail;
}

class Writer {
public:
  explicit Writer(std::string path) : path_(std::move(path)) {}

  Status fail(const std::string &what) const {
    std::string detail = hdf5Detail();
    return invalidArgument("cannot write '" + path_ + "': " + what +
                           (detail.empty() ? "" : " (HDF5: " + detail + ")"));
  }

  Status stringAttr(hid_t obj, const char *name, const std::string &value) {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    if (!type.valid() || H5Tset_size(type.get(), H5T_VARIABLE) < 0 ||
        H5Tset_cset(type.get(), H5T_CSET_UTF8) < 0)
      return fail("string type");
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT,
                           H5P_DEFAULT),
                H5Aclose);
    const char *p = value.c_str();
    if (!attr.valid() || H5Awrite(attr.get(), type.get(), &p) < 0)
      return fail(std::string("attribute ") + name);
    return Status::ok();
  }

  Status numericAttr(hid_t obj, const char *name, hid_t fileType, hid_t memType,
                     const void *values, hsize_t count, bool scalar) {
    Handle space(scalar ? H5Screate(H5S_SCALAR)
                        : H5Screate_simple(1, &count, nullptr),
                 H5Sclose);
    Handle attr(
        H5Acreate2(obj, name, fileType, space.get(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose);
    if (!attr.valid() || H5Awrite(attr.get(), memType, values) < 0)
      return fail(std::string("attribute ") + name);
    return Status::ok();
  }

  Status observable(hid_t parent, double dt, const RecordedObservable &obs) {
    Handle group(H5Gcreate2(parent, obs.name.c_str(), H5P_DEFAULT, H5P_DEFAULT,
                            H5P_DEFAULT),
                 H5Gclose);
    if (!group.valid())
      return fail("group for observable '" + obs.name + "'");
    if (!obs.events.empty())
      return eventData(group.get(), dt, obs);
    if (Status s = stringAttr(group.get(), "__type__", "TimeGriddedData"); !s)
      return s;

    hsize_t dims[3] = {hsize_t(obs.shape[0]), hsize_t(obs.shape[1]), 1};
    for (size_t i = 2; i < obs.shape.size(); ++i)
      dims[2] *= hsize_t(obs.shape[i]);
    Handle space(H5Screate_simple(3, dims, nullptr), H5Sclose);
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    bool spikes = obs.name == "spikes";
    if (!obs.data.empty() && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
      // One sample per chunk, halved until under 1 MiB, like h5py's guess.
      hsize_t chunk[3] = {1, dims[1], dims[2]};
      hsize_t itemBytes = spikes ? 1 : 4;
      while (chunk[1] * chunk[2] * itemBytes > (1u << 20)) {
        hsize_t &dim = chunk[1] > 1 ? chunk[1] : chunk[2];
        dim = (dim + 1) / 2;
      }
      if (H5Pset_chunk(dcpl.get(), 3, chunk) < 0 ||
          H5Pset_deflate(dcpl.get(), 4) < 0)
        return fail("compression settings");
    }

    Handle boolType(H5Tenum_create(H5T_NATIVE_INT8), H5Tclose);
    if (spikes) {
      int8_t no = 0, yes = 1;
      // h5py maps numpy bool to exactly this enum; the names matter.
      if (H5Tenum_insert(boolType.get(), "FALSE", &no) < 0 ||
          H5Tenum_insert(boolType.get(), "TRUE", &yes) < 0)
        return fail("boolean type");
    }
    hid_t fileType = spikes ? boolType.get() : H5T_IEEE_F32LE;
    Handle data(H5Dcreate2(group.get(), "data", fileType, space.get(),
                           H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                H5Dclose);
    if (!data.valid())
      return fail("dataset for observable '" + obs.name + "'");
    herr_t rc;
    if (spikes) {
      std::vector<int8_t> bits(obs.data.size());
      for (size_t i = 0; i < bits.size(); ++i)
        bits[i] = obs.data[i] != 0.0f;
      rc = H5Dwrite(data.get(), boolType.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                    bits.data());
    } else {
      rc = H5Dwrite(data.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                    obs.data.data());
    }
    if (rc < 0)
      return fail("data of observable '" + obs.name + "'");

    if (Status s = numericAttr(group.get(), "dt", H5T_IEEE_F64LE,
                               H5T_NATIVE_DOUBLE, &dt, 1, true);
        !s)
      return s;
    if (!obs.neurons.empty())
      if (Status s = numericAttr(group.get(), "snnc_neurons", H5T_STD_I64LE,
                                 H5T_NATIVE_INT64, obs.neurons.data(),
                                 obs.neurons.size(), false);
          !s)
        return s;
    return numericAttr(group.get(), "snnc_shape", H5T_STD_I64LE,
                       H5T_NATIVE_INT64, obs.shape.data(), obs.shape.size(),
                       false);
  }

  // NIR's EventData: idx and time of shape (samples, most events of any
  // sample), padded with -1 and +inf. Written one sample (row) at a time,
  // so no second copy of every sample's events is built.
  Status eventData(hid_t group, double dt, const RecordedObservable &obs) {
    if (Status s = stringAttr(group, "__type__", "EventData"); !s)
      return s;
    const SpikeEvents &first = obs.events.front();
    size_t most = 0;
    for (const SpikeEvents &e : obs.events)
      most = std::max(most, e.size());
    hsize_t dims[2] = {hsize_t(obs.events.size()), hsize_t(most)};
    Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    if (most > 0 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
      hsize_t chunk[2] = {1, std::min<hsize_t>(most, 1 << 17)};
      if (H5Pset_chunk(dcpl.get(), 2, chunk) < 0 ||
          H5Pset_deflate(dcpl.get(), 4) < 0)
        return fail("compression settings");
    }
    Handle idx(H5Dcreate2(group, "idx", H5T_STD_I64LE, space.get(), H5P_DEFAULT,
                          dcpl.get(), H5P_DEFAULT),
               H5Dclose);
    Handle time(H5Dcreate2(group, "time", H5T_IEEE_F64LE, space.get(),
                           H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                H5Dclose);
    if (!idx.valid() || !time.valid())
      return fail("datasets of observable '" + obs.name + "'");
    if (most > 0) {
      std::vector<int64_t> idxRow(most);
      std::vector<double> timeRow(most);
      hsize_t rowDims[2] = {1, hsize_t(most)};
      Handle memSpace(H5Screate_simple(2, rowDims, nullptr), H5Sclose);
      for (size_t s = 0; s < obs.events.size(); ++s) {
        const SpikeEvents &e = obs.events[s];
        std::fill(idxRow.begin(), idxRow.end(), int64_t(-1));
        std::fill(timeRow.begin(), timeRow.end(),
                  std::numeric_limits<double>::infinity());
        for (size_t i = 0; i < e.size(); ++i) {
          idxRow[i] = e.indices[i];
          // Consecutive events share a step; compute its time once.
          timeRow[i] = i > 0 && e.steps[i] == e.steps[i - 1]
                           ? timeRow[i - 1]
                           : stepTime(e.steps[i], dt);
        }
        hsize_t start[2] = {hsize_t(s), 0};
        Handle fileSpace(H5Dget_space(idx.get()), H5Sclose);
        if (H5Sselect_hyperslab(fileSpace.get(), H5S_SELECT_SET, start, nullptr,
                                rowDims, nullptr) < 0 ||
            H5Dwrite(idx.get(), H5T_NATIVE_INT64, memSpace.get(),
                     fileSpace.get(), H5P_DEFAULT, idxRow.data()) < 0 ||
            H5Dwrite(time.get(), H5T_NATIVE_DOUBLE, memSpace.get(),
                     fileSpace.get(), H5P_DEFAULT, timeRow.data()) < 0)
          return fail("events of observable '" + obs.name + "', sample " +
                      std::to_string(s));
      }
    }
    const int64_t neurons = first.neurons();
    double tMax = double(first.numSteps) * dt;
    while (std::trunc(tMax / dt) < double(first.numSteps))
      tMax = std::nextafter(tMax, std::numeric_limits<double>::infinity());
    std::vector<int64_t> shape{int64_t(obs.events.size()), first.numSteps};
    shape.insert(shape.end(), first.shape.begin(), first.shape.end());
    if (Status s = numericAttr(group, "n_neurons", H5T_STD_I64LE,
                               H5T_NATIVE_INT64, &neurons, 1, true);
        !s)
      return s;
    if (Status s = numericAttr(group, "t_max", H5T_IEEE_F64LE,
                               H5T_NATIVE_DOUBLE, &tMax, 1, true);
        !s)
      return s;
    return numericAttr(group, "snnc_shape", H5T_STD_I64LE, H5T_NATIVE_INT64,
                       shape.data(), shape.size(), false);
  }

  // k * dt, nudged up until NIR's floor(time / dt) gives k back.
  static double stepTime(uint32_t step, double dt) {
    double t = double(step) * dt;
    while (std::floor(t / dt) < double(step))
      t = std::nextafter(t, std::numeric_limits<double>::infinity());
    return t;
  }

  Status file(const std::string &target, double dt,
              const std::vector<RecordedNode> &nodes) {
    Handle file(
        H5Fcreate(target.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT),
        H5Fclose);
    if (!file.valid())
      return fail("cannot create the HDF5 file");
    {
      if (Status s = stringAttr(file.get(), "__type__", "NIRGraphData"); !s)
        return s;
      Handle nodesGroup(H5Gcreate2(file.get(), "nodes", H5P_DEFAULT,
                                   H5P_DEFAULT, H5P_DEFAULT),
                        H5Gclose);
      if (!nodesGroup.valid())
        return fail("group /nodes");
      for (const RecordedNode &node : nodes) {
        Handle nodeGroup(H5Gcreate2(nodesGroup.get(), node.name.c_str(),
                                    H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                         H5Gclose);
        if (!nodeGroup.valid())
          return fail("group for node '" + node.name + "'");
        if (Status s = stringAttr(nodeGroup.get(), "__type__", "NIRNodeData");
            !s)
          return s;
        Handle obsGroup(H5Gcreate2(nodeGroup.get(), "observables", H5P_DEFAULT,
                                   H5P_DEFAULT, H5P_DEFAULT),
                        H5Gclose);
        if (!obsGroup.valid())
          return fail("observables group of node '" + node.name + "'");
        for (const RecordedObservable &obs : node.observables)
          if (Status s = observable(obsGroup.get(), dt, obs); !s)
            return s;
      }
    }
    if (!file.close())
      return fail("closing (flushing) the file");
    return Status::ok();
  }

private:
  std::string path_;
};

bool validLinkName(const std::string &name) {
  return !name.empty() && name != "." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

Status validateEvents(const std::string &path, const std::string &where,
                      std::span<const SpikeEvents> samples) {
  const SpikeEvents &first = samples.front();
  for (size_t s = 0; s < samples.size(); ++s) {
    const SpikeEvents &e = samples[s];
    std::string at = where + ", sample " + std::to_string(s);
    auto bad = [&](const std::string &m) {
      return invalidArgument("cannot write '" + path + "': " + at + ": " + m);
    };
    if (e.shape != first.shape || e.numSteps != first.numSteps)
      return bad("shape or steps differ from sample 0's");
    if (e.numSteps <= 0 || e.numSteps > int64_t(UINT32_MAX))
      return bad(std::to_string(e.numSteps) + " steps");
    if (e.steps.size() != e.indices.size())
      return bad("steps and indices differ in length");
    const int64_t n = e.neurons();
    for (size_t i = 0; i < e.size(); ++i)
      if (int64_t(e.steps[i]) >= e.numSteps || int64_t(e.indices[i]) >= n)
        return bad("event " + std::to_string(i) + " (step " +
                   std::to_string(e.steps[i]) + ", neuron " +
                   std::to_string(e.indices[i]) + ") lies outside " +
                   std::to_string(e.numSteps) + " steps x " +
                   std::to_string(n) + " neurons");
  }
  return Status::ok();
}

Status validate(const std::string &path, double dt,
                const std::vector<RecordedNode> &nodes) {
  auto bad = [&](const std::string &m) {
    return invalidArgument("cannot write '" + path + "': " + m);
  };
  if (!(dt > 0) || !std::isfinite(dt))
    return bad("dt must be a positive number of seconds, got " +
               std::to_string(dt));
  std::set<std::string> nodeNames;
  for (const RecordedNode &node : nodes) {
    if (!validLinkName(node.name))
      return bad("node name '" + node.name +
                 "' must be non-empty and hold no '/'");
    if (!nodeNames.insert(node.name).second)
      return bad("node '" + node.name + "' appears twice");
    std::set<std::string> obsNames;
    for (const RecordedObservable &obs : node.observables) {
      std::string where =
          "observable '" + obs.name + "' of node '" + node.name + "'";
      if (!validLinkName(obs.name))
        return bad(where + ": name must be non-empty and hold no '/'");
      if (!obsNames.insert(obs.name).second)
        return bad(where + " appears twice");
      if (!obs.events.empty()) {
        if (Status s = validateEvents(path, where, obs.events); !s)
          return s;
        continue;
      }
      if (obs.shape.size() < 2)
        return bad(where + ": shape " + shapeString(obs.shape) +
                   " lacks [samples, steps, ...]");
      int64_t n = detail::checkedElementCount(
          obs.shape, std::numeric_limits<int64_t>::max());
      if (n < 0)
        return bad(where + ": shape " + shapeString(obs.shape) +
                   " has a negative dimension or overflows");
      if (uint64_t(n) != obs.data.size())
        return bad(where + ": shape " + shapeString(obs.shape) + " needs " +
                   std::to_string(n) + " values, got " +
                   std::to_string(obs.data.size()));
      if (obs.name != "spikes")
        continue;
      for (size_t i = 0; i < obs.data.size(); ++i)
        if (obs.data[i] != 0.0f && obs.data[i] != 1.0f)
          return bad(where + " holds " + std::to_string(obs.data[i]) +
                     " at flat index " + std::to_string(i) +
                     "; spikes must be 0 or 1 (NIR stores them as booleans)");
    }
  }
  return Status::ok();
}

} // namespace

Status writeNirData(const std::string &path, double dt,
                    const std::vector<RecordedNode> &nodes) {
  if (Status s = validate(path, dt, nodes); !s)
    return s;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
    return notFound("cannot write '" + path + "': directory '" +
                    parent.string() + "' does not exist");

  QuietHdf5Errors quiet;
  std::string tmp = detail::siblingTempPath(path);
  Status s = Writer(path).file(tmp, dt, nodes);
  if (!s) {
    std::remove(tmp.c_str());
    return s;
  }
  return detail::commitTemp(tmp, path);
}

} // namespace snnc
