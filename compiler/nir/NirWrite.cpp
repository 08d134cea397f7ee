//===- NirWrite.cpp - Write NIR HDF5 files ---===//
//
// Writing in the layout of NIR's own writer, atomically.
// Uses the HDF5 C API directly (no C++ bindings) so that every failure comes
// back as a return code we can turn into a one-line diagnostic. Every handle
// is owned by an RAII wrapper, so early returns never leak HDF5 objects.
//
//===----------------------------------------------------------------------===//
#include "compiler/nir/Hdf5Util.h"
#include "compiler/nir/NirModel.h"

#include <hdf5.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <map>
#include <new>
#include <sys/stat.h>
#include <unistd.h>

namespace snnc::nir {

using namespace detail;

namespace {

/// Returns why `name` cannot be an HDF5 link name, or "" if it can.
std::string badName(const std::string &name) {
  if (name.empty())
    return "is empty";
  if (name.find('/') != std::string::npos)
    return "contains '/', the HDF5 path separator";
  if (name == ".")
    return "is '.', which HDF5 reads as the group itself";
  return name.find('\0') != std::string::npos ? "contains a NUL character" : "";
}

bool hasNul(const std::string &s) { return s.find('\0') != std::string::npos; }

/// Catches what would make the write fail halfway, or make the reader
/// reject the file, before any file is touched.
bool validateGraph(const Graph &g, const std::string &obj, int depth,
                   std::string &why) {
  if (depth > kMaxDepth) {
    why = obj + ": graphs nested deeper than " + std::to_string(kMaxDepth);
    return false;
  }
  std::vector<std::string> names;
  for (const Node &n : g.nodes) {
    std::string p = obj + "/nodes/" + n.name, bad = badName(n.name);
    bool isGraph = n.type == "NIRGraph";
    if (!bad.empty())
      why = obj + "/nodes: node name '" + n.name + "' " + bad;
    else if (hasNul(n.type))
      why = p + ": type contains a NUL character";
    else if (isGraph != bool(n.graph))
      why = p + (isGraph ? ": NIRGraph node without a subgraph"
                         : ": only NIRGraph nodes may carry a subgraph");
    names.push_back(n.name);
    auto checkKey = [&](const std::string &k) {
      if (std::string b = badName(k); !b.empty())
        why = p + ": parameter name '" + k + "' " + b;
      else if (k == "type" || (isGraph && (k == "nodes" || k == "edges")))
        why = p + ": parameter name '" + k + "' is reserved";
      return why.empty();
    };
    for (auto it = n.params.begin(); why.empty() && it != n.params.end();
         ++it) {
      const auto &[k, a] = *it;
      int64_t count = a.numElements();
      if (!checkKey(k))
        break;
      if (n.strings.count(k))
        why = p + ": '" + k + "' is both a numeric and a string parameter";
      else if (count < 0 || uint64_t(count) != a.size())
        why = p + "/" + k + ": shape " +
              shapeString({a.shape.begin(), a.shape.end()}) + " needs " +
              (count < 0 ? "an invalid number of" : std::to_string(count)) +
              " values but the " + dtypeName(a.dtype) + " array has " +
              std::to_string(a.size());
      else if (count > kMaxElements)
        why = p + "/" + k + ": too many values for the reader to accept";
    }
    for (const auto &[k, v] : n.strings)
      if (why.empty() && checkKey(k) && hasNul(v))
        why = p + "/" + k + ": string contains a NUL character";
    if (!why.empty() ||
        (n.graph && !validateGraph(*n.graph, p, depth + 1, why)))
      return false;
  }
  std::sort(names.begin(), names.end());
  auto dup = std::adjacent_find(names.begin(), names.end());
  if (dup != names.end())
    why = obj + "/nodes: duplicate node name '" + *dup + "'";
  for (const auto &[src, dst] : g.edges)
    if (hasNul(src) || hasNul(dst))
      why = obj + "/edges: an endpoint contains a NUL character";
  return why.empty();
}

/// Writes a validated Document into an open, empty file.
class Writer {
public:
  Writer(const std::string &file, std::string &error, int gzipLevel)
      : file_(file), error_(error), gzip_(gzipLevel),
        deflate_(gzipLevel > 0 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {}

  bool writeDocument(hid_t f, const Document &doc) {
    str_ = Handle(H5Tcopy(H5T_C_S1), H5Tclose);
    lcpl_ = Handle(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    gcpl_ = Handle(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
    // Like h5py: UTF-8 variable-length strings and UTF-8 link names. No
    // timestamps, so that writing the same model twice gives the same bytes.
    if (H5Tset_size(str_.get(), H5T_VARIABLE) < 0 ||
        H5Tset_cset(str_.get(), H5T_CSET_UTF8) < 0 ||
        H5Pset_char_encoding(lcpl_.get(), H5T_CSET_UTF8) < 0 ||
        H5Pset_obj_track_times(gcpl_.get(), false) < 0)
      return fail("/", "cannot set up HDF5 properties" + hdf5Detail());
    Handle g;
    return writeStrings(f, "version", {}, {doc.version.c_str()}, "/version") &&
           createGroup(f, "node", "/node", g) &&
           writeStrings(g.get(), "type", {}, {"NIRGraph"}, "/node/type") &&
           writeGraph(g.get(), doc.root, "/node");
  }

private:
  bool fail(const std::string &obj, const std::string &msg) {
    error_ = file_ + ": " + obj + ": " + msg;
    return false;
  }

  Handle datasetPlist() {
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    H5Pset_obj_track_times(dcpl.get(), false);
    return dcpl;
  }

  Handle space(const std::vector<hsize_t> &dims) {
    return Handle(
        dims.empty() ? H5Screate(H5S_SCALAR)
                     : H5Screate_simple(int(dims.size()), dims.data(), nullptr),
        H5Sclose);
  }

  bool createGroup(hid_t parent, const std::string &name,
                   const std::string &obj, Handle &out) {
    out = Handle(
        H5Gcreate2(parent, name.c_str(), lcpl_.get(), gcpl_.get(), H5P_DEFAULT),
        H5Gclose);
    return out.valid() || fail(obj, "cannot create group" + hdf5Detail());
  }

  /// A scalar (no `dims`) or N-D dataset of variable-length UTF-8 strings.
  bool writeStrings(hid_t parent, const std::string &name,
                    const std::vector<hsize_t> &dims,
                    const std::vector<const char *> &values,
                    const std::string &obj) {
    Handle dcpl = datasetPlist(), sp = space(dims);
    Handle ds(H5Dcreate2(parent, name.c_str(), str_.get(), sp.get(),
                         lcpl_.get(), dcpl.get(), H5P_DEFAULT),
              H5Dclose);
    if (!ds.valid() ||
        (!values.empty() && H5Dwrite(ds.get(), str_.get(), H5S_ALL, H5S_ALL,
                                     H5P_DEFAULT, values.data()) < 0))
      return fail(obj, "cannot write strings" + hdf5Detail());
    return true;
  }

  bool writeArray(hid_t parent, const std::string &name, const Array &a,
                  const std::string &obj) {
    std::vector<hsize_t> dims(a.shape.begin(), a.shape.end());
    hid_t ftype = a.dtype == DType::F32   ? H5T_IEEE_F32LE
                  : a.dtype == DType::F64 ? H5T_IEEE_F64LE
                                          : H5T_STD_I64LE;
    Handle dcpl = datasetPlist(), sp = space(dims);
    // Scalars and empty arrays cannot be chunked, hence not compressed.
    if (deflate_ && !dims.empty() && a.size() > 0) {
      // Chunks of at most ~1 MiB: HDF5 caps a chunk at 4 GiB, and small
      // chunks keep partial reads cheap.
      std::vector<hsize_t> chunk = dims;
      auto bytes = [&] {
        hsize_t b = H5Tget_size(ftype);
        for (hsize_t c : chunk)
          b *= c;
        return b;
      };
      while (bytes() > (hsize_t(1) << 20)) {
        hsize_t &big = *std::max_element(chunk.begin(), chunk.end());
        big = (big + 1) / 2;
      }
      if (H5Pset_chunk(dcpl.get(), int(chunk.size()), chunk.data()) < 0 ||
          H5Pset_deflate(dcpl.get(), unsigned(gzip_)) < 0)
        return fail(obj, "cannot set up compression" + hdf5Detail());
    }
    Handle ds(H5Dcreate2(parent, name.c_str(), ftype, sp.get(), lcpl_.get(),
                         dcpl.get(), H5P_DEFAULT),
              H5Dclose);
    bool isF = a.isFloat();
    if (!ds.valid() ||
        (a.size() > 0 &&
         H5Dwrite(ds.get(), isF ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64, H5S_ALL,
                  H5S_ALL, H5P_DEFAULT,
                  isF ? static_cast<const void *>(a.f.data())
                      : static_cast<const void *>(a.i.data())) < 0))
      return fail(obj, "cannot write data" + hdf5Detail());
    return true;
  }

  bool writeGraph(hid_t g, const Graph &graph, const std::string &obj) {
    Handle nodes;
    if (!createGroup(g, "nodes", obj + "/nodes", nodes))
      return false;
    for (const Node &n : graph.nodes) {
      std::string p = obj + "/nodes/" + n.name;
      Handle ng;
      if (!createGroup(nodes.get(), n.name, p, ng) ||
          !writeStrings(ng.get(), "type", {}, {n.type.c_str()}, p + "/type"))
        return false;
      for (const auto &[k, a] : n.params)
        if (!writeArray(ng.get(), k, a, p + "/" + k))
          return false;
      for (const auto &[k, v] : n.strings)
        if (!writeStrings(ng.get(), k, {}, {v.c_str()}, p + "/" + k))
          return false;
      if (n.graph && !writeGraph(ng.get(), *n.graph, p))
        return false;
    }
    // NIR's layout has an (N,2) edges dataset even when N is 0.
    std::vector<const char *> ends;
    for (const auto &[src, dst] : graph.edges) {
      ends.push_back(src.c_str());
      ends.push_back(dst.c_str());
    }
    return writeStrings(g, "edges", {graph.edges.size(), 2}, ends,
                        obj + "/edges");
  }

  const std::string &file_;
  std::string &error_;
  int gzip_;
  bool deflate_;
  Handle str_, lcpl_, gcpl_;
};

} // namespace

bool writeNirFile(const Document &doc, const std::string &path,
                  std::string &error, int gzipLevel) {
  std::string why;
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::string base = path.substr(dir.size());
  if (gzipLevel < 0 || gzipLevel > 9)
    why = "gzip level " + std::to_string(gzipLevel) + " is not in 0..9";
  else if (base.empty() || base == "." || base == "..")
    why = "not a file name";
  else if (hasNul(doc.version))
    why = "/version: contains a NUL character";
  else if (::access(dir.empty() ? "." : dir.c_str(), W_OK) != 0)
    why = "cannot write into " + (dir.empty() ? "." : dir) + ": " +
          strerror(errno);
  if (!why.empty() || !validateGraph(doc.root, "/node", 0, why)) {
    error = path + ": " + why;
    return false;
  }

  silenceHdf5();
  // A unique hidden name beside the target keeps the final rename() on one
  // file system, hence atomic: readers see the old file or the new one.
  static std::atomic<unsigned> counter{0};
  std::string tmp;
  Handle file;
  for (int attempt = 0; attempt < 100 && !file.valid(); ++attempt) {
    auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    tmp = dir + "." + base + ".tmp-" + std::to_string(::getpid()) + "-" +
          std::to_string(counter++) + "-" + std::to_string(ticks % 1000003);
    file =
        Handle(H5Fcreate(tmp.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT),
               H5Fclose);
    if (!file.valid() && ::access(tmp.c_str(), F_OK) != 0) {
      error = path + ": cannot create temporary file " + tmp + hdf5Detail();
      return false;
    }
  }
  if (!file.valid()) {
    error = path + ": cannot find a free temporary file name beside it";
    return false;
  }
  bool ok = false;
  try {
    ok = Writer(path, error, gzipLevel).writeDocument(file.get(), doc);
  } catch (const std::exception &e) {
    error = path + ": " + e.what();
  }
  // Closing flushes metadata, so its failure means an incomplete file.
  if (file.close() < 0 && ok) {
    error = path + ": cannot finish writing " + tmp + hdf5Detail();
    ok = false;
  }
  if (ok) {
    // Make the data durable before the rename makes it visible.
    if (int fd = ::open(tmp.c_str(), O_RDONLY); fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
      error = path + ": cannot replace it with " + tmp + ": " + strerror(errno);
      ok = false;
    }
  }
  if (!ok)
    std::remove(tmp.c_str());
  return ok;
}

} // namespace snnc::nir
