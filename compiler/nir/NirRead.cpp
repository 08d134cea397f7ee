//===- NirRead.cpp - Read NIR HDF5 files ---===//
//
// Reading, with checks against corrupt and hostile files.
// Uses the HDF5 C API directly (no C++ bindings) so that every failure comes
// back as a return code we can turn into a one-line diagnostic. Every handle
// is owned by an RAII wrapper, so early returns never leak HDF5 objects.
//
//===----------------------------------------------------------------------===//
#include "compiler/nir/Hdf5Util.h"
#include "compiler/nir/HeapGuard.h"
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

const char *dtypeName(DType t) {
  return t == DType::F32 ? "float32" : t == DType::F64 ? "float64" : "int64";
}

int64_t Array::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d > 0 && n > std::numeric_limits<int64_t>::max() / d))
      return -1;
    n *= d;
  }
  return n;
}

Array Array::floats(DType t, std::vector<int64_t> shape,
                    std::vector<double> values) {
  if (t == DType::I64) // keep `dtype` naming the vector that holds the data
    return ints(std::move(shape), {values.begin(), values.end()});
  Array a;
  a.dtype = t;
  a.shape = std::move(shape);
  a.f = std::move(values);
  return a;
}

Array Array::ints(std::vector<int64_t> shape, std::vector<int64_t> values) {
  Array a;
  a.dtype = DType::I64;
  a.shape = std::move(shape);
  a.i = std::move(values);
  return a;
}

const Node *Graph::find(const std::string &name) const {
  for (const Node &n : nodes)
    if (n.name == name)
      return &n;
  return nullptr;
}

void (*detail::objectHook)(const std::string &) = nullptr;

namespace {

using namespace detail;

struct Link {
  std::string name;
  H5L_type_t type;
};

herr_t collectLink(hid_t, const char *name, const H5L_info_t *info, void *out) {
  try { // called from C: an exception must not unwind through HDF5
    static_cast<std::vector<Link> *>(out)->push_back({name, info->type});
    return 0;
  } catch (...) {
    return -1;
  }
}

const Link *findLink(const std::vector<Link> &links, const char *name) {
  for (const Link &l : links)
    if (l.name == name)
      return &l;
  return nullptr;
}

/// Reads a Document from an open file; remembers the file name for errors.
class Reader {
public:
  Reader(const std::string &file, hid_t f, std::string &error)
      : file_(file), error_(error), heap_(file, f) {}

  bool readDocument(hid_t f, Document &doc) {
    std::vector<Link> links, rootLinks;
    if (!listLinks(f, "/", links))
      return false;
    // Tolerate a missing /version; the importer decides what it needs.
    const Link *v = findLink(links, "version");
    if (v && !readScalarString(f, *v, "/version", doc.version))
      return false;
    const Link *root = findLink(links, "node");
    if (!root)
      return fail("/node", "missing; not a NIR file (nir.write stores the "
                           "root graph in the group /node)");
    Handle g;
    std::string type;
    if (!openChild(f, *root, "/node", H5I_GROUP, g) ||
        !listLinks(g.get(), "/node", rootLinks) ||
        !readNodeType(g.get(), rootLinks, "/node", type))
      return false;
    if (type != "NIRGraph")
      return fail("/node/type", "is '" + type + "', expected 'NIRGraph'");
    return readGraph(g.get(), rootLinks, "/node", doc.root, 0);
  }

private:
  bool fail(const std::string &obj, const std::string &msg) {
    error_ = file_ + ": " + obj + ": " + msg;
    return false;
  }

  bool listLinks(hid_t g, const std::string &obj, std::vector<Link> &out) {
    hsize_t idx = 0;
    noteObject(obj);
    if (H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, collectLink, &out) < 0)
      return fail(obj, "cannot list group members" + hdf5Detail() +
                           "; the file is corrupt");
    // The name index is sorted already, but do not depend on it.
    std::sort(out.begin(), out.end(),
              [](const Link &a, const Link &b) { return a.name < b.name; });
    return true;
  }

  /// Opens `link` below `parent`, insisting on a hard link (soft and
  /// external links could point anywhere, even into other files) and, unless
  /// `want` is H5I_BADID, on the object kind `want`.
  bool openChild(hid_t parent, const Link &link, const std::string &obj,
                 H5I_type_t want, Handle &out) {
    if (link.type != H5L_TYPE_HARD)
      return fail(obj, "is a soft or external link; NIR files contain only "
                       "plain groups and datasets");
    noteObject(obj);
    out = Handle(H5Oopen(parent, link.name.c_str(), H5P_DEFAULT), H5Oclose);
    if (!out.valid())
      return fail(obj, "cannot open" + hdf5Detail() + "; the file is corrupt");
    H5I_type_t kind = H5Iget_type(out.get());
    auto what = [](H5I_type_t k) {
      return k == H5I_GROUP     ? "a group"
             : k == H5I_DATASET ? "a dataset"
                                : "another object";
    };
    if (want != H5I_BADID && kind != want)
      return fail(obj, std::string("expected ") + what(want) + ", found " +
                           what(kind));
    return true;
  }

  /// Dimensions and element count of a dataset, bounded so that a corrupt
  /// header cannot make us allocate absurd buffers.
  bool readShape(hid_t ds, hid_t ftype, const std::string &obj,
                 std::vector<hsize_t> &dims, int64_t &count) {
    Handle space(H5Dget_space(ds), H5Sclose);
    H5S_class_t cls = H5Sget_simple_extent_type(space.get());
    int rank = H5Sget_simple_extent_ndims(space.get());
    dims.assign(size_t(std::clamp(rank, 0, H5S_MAX_RANK)), 0);
    count = 0;
    if (cls == H5S_NULL) // h5py.Empty: no values at all
      return true;
    if (cls == H5S_NO_CLASS || rank < 0 || rank > H5S_MAX_RANK ||
        H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
      return fail(obj, "unreadable dataspace" + hdf5Detail());
    count = 1;
    for (hsize_t d : dims) {
      if (d > 0 && hsize_t(count) > hsize_t(kMaxElements) / d)
        return fail(obj, "shape " + shapeString(dims) +
                             " is implausibly large; the file is corrupt");
      count *= int64_t(d);
    }
    if ((totalElements_ += count) > kMaxElements)
      return fail(obj, "the file holds more than " +
                           std::to_string(kMaxElements) +
                           " values in total; refusing to load it");
    // A contiguous dataset that stores fewer bytes than its shape needs has
    // a lying header; catch it before HDF5 reads past the data.
    Handle dcpl(H5Dget_create_plist(ds), H5Pclose);
    if (H5Pget_external_count(dcpl.get()) > 0)
      return fail(obj, "keeps its values in an external file; NIR files "
                       "must be self-contained");
    hsize_t need = hsize_t(count) * H5Tget_size(ftype);
    hsize_t stored = H5Dget_storage_size(ds);
    if (H5Pget_layout(dcpl.get()) == H5D_CONTIGUOUS && stored != 0 &&
        stored < need)
      return fail(obj, "shape " + shapeString(dims) + " needs " +
                           std::to_string(need) + " bytes but only " +
                           std::to_string(stored) +
                           " are stored; the file is corrupt");
    H5Eclear2(H5E_DEFAULT);
    return true;
  }

  bool readStrings(hid_t ds, hid_t ftype, const std::string &obj,
                   std::vector<std::string> &out, std::vector<hsize_t> &dims) {
    int64_t n = 0;
    noteObject(obj);
    if (!readShape(ds, ftype, obj, dims, n))
      return false;
    out.clear();
    if (n == 0)
      return true;
    htri_t isVar = H5Tis_variable_str(ftype);
    size_t width = isVar > 0 ? size_t(H5T_VARIABLE) : H5Tget_size(ftype);
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    // Matching the file's character set avoids a conversion HDF5 refuses;
    // NULLPAD also strips the padding of space-padded strings.
    if (isVar < 0 || width == 0 || !mem.valid() ||
        H5Tset_cset(mem.get(), H5Tget_cset(ftype)) < 0 ||
        H5Tset_size(mem.get(), width) < 0 ||
        (isVar == 0 && H5Tset_strpad(mem.get(), H5T_STR_NULLPAD) < 0))
      return fail(obj, "unreadable string type" + hdf5Detail());
    herr_t r;
    if (isVar > 0) {
      if (std::string why = heap_.check(ds, size_t(n)); !why.empty())
        return fail(obj, why + "; the file is corrupt");
      std::vector<char *> buf(size_t(n), nullptr);
      r = H5Dread(ds, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
      std::string detail = r < 0 ? hdf5Detail() : "";
      for (char *s : buf)
        out.emplace_back(s ? s : "");
      Handle space(H5Dget_space(ds), H5Sclose);
#if H5_VERSION_GE(1, 12, 0)
      H5Treclaim(mem.get(), space.get(), H5P_DEFAULT, buf.data());
#else
      H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, buf.data());
#endif
      if (r < 0)
        return fail(obj, "cannot read strings" + detail +
                             "; the file is truncated or corrupt");
      return true;
    }
    if (width > (size_t(1) << 20) || size_t(n) > size_t(kMaxElements) / width)
      return fail(obj, "fixed-length strings of " + std::to_string(width) +
                           " bytes are implausible; the file is corrupt");
    std::vector<char> buf(size_t(n) * width);
    if (H5Dread(ds, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) < 0)
      return fail(obj, "cannot read strings" + hdf5Detail() +
                           "; the file is truncated or corrupt");
    for (size_t k = 0; k < size_t(n); ++k)
      out.emplace_back(&buf[k * width], strnlen(&buf[k * width], width));
    return true;
  }

  /// Reads a string dataset that must hold exactly one string.
  bool readOneString(hid_t ds, const std::string &obj, std::string &out) {
    Handle ftype(H5Dget_type(ds), H5Tclose);
    H5T_class_t cls = H5Tget_class(ftype.get());
    if (cls != H5T_STRING)
      return fail(obj, std::string("must be a string, found ") +
                           className(cls) + " data");
    std::vector<std::string> values;
    std::vector<hsize_t> dims;
    if (!readStrings(ds, ftype.get(), obj, values, dims))
      return false;
    if (values.size() != 1)
      return fail(obj,
                  "expected a single string, found shape " + shapeString(dims));
    out = std::move(values[0]);
    return true;
  }

  bool readScalarString(hid_t parent, const Link &link, const std::string &obj,
                        std::string &out) {
    Handle ds;
    return openChild(parent, link, obj, H5I_DATASET, ds) &&
           readOneString(ds.get(), obj, out);
  }

  bool readNodeType(hid_t g, const std::vector<Link> &links,
                    const std::string &obj, std::string &type) {
    const Link *t = findLink(links, "type");
    if (!t)
      return fail(obj, "node has no 'type' dataset; every NIR node needs "
                       "one (re-export the file with nir.write)");
    return readScalarString(g, *t, obj + "/type", type);
  }

  bool readArray(hid_t ds, hid_t ftype, const std::string &obj, Array &a) {
    H5T_class_t cls = H5Tget_class(ftype);
    size_t size = H5Tget_size(ftype);
    // h5py stores numpy bools as an enum over int8; HDF5 converts enums
    // over integers to plain integers.
    Handle base(cls == H5T_ENUM ? H5Tget_super(ftype) : H5I_INVALID_HID,
                H5Tclose);
    bool isInt = cls == H5T_INTEGER ||
                 (base.valid() && H5Tget_class(base.get()) == H5T_INTEGER);
    bool isFloat = cls == H5T_FLOAT && (size == 2 || size == 4 || size == 8);
    if (!(isInt && size <= 8) && !isFloat)
      return fail(obj, std::string("unsupported dtype (") + className(cls) +
                           ", " + std::to_string(size) +
                           " bytes); NIR parameters must be integer or "
                           "float arrays, or strings");
    std::vector<hsize_t> dims;
    int64_t n = 0;
    noteObject(obj);
    if (!readShape(ds, ftype, obj, dims, n))
      return false;
    a.shape.assign(dims.begin(), dims.end());
    herr_t r = 0;
    if (isFloat) {
      // Half and single precision widen exactly to double.
      a.dtype = size <= 4 ? DType::F32 : DType::F64;
      a.f.resize(size_t(n));
      if (n)
        r = H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                    a.f.data());
    } else if (size == 8 && H5Tget_sign(ftype) == H5T_SGN_NONE) {
      // HDF5 would silently clamp uint64 values above INT64_MAX.
      std::vector<uint64_t> u(static_cast<size_t>(n));
      if (n)
        r = H5Dread(ds, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                    u.data());
      for (uint64_t v : u) {
        if (r >= 0 && v > uint64_t(std::numeric_limits<int64_t>::max()))
          return fail(obj, "uint64 value " + std::to_string(v) +
                               " does not fit in int64");
        a.i.push_back(int64_t(v));
      }
    } else {
      a.i.resize(size_t(n));
      if (n)
        r = H5Dread(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                    a.i.data());
    }
    if (!isFloat)
      a.dtype = DType::I64;
    return r >= 0 || fail(obj, "cannot read data" + hdf5Detail() +
                                   "; the file is truncated or corrupt");
  }

  bool readNode(hid_t g, const std::string &obj, Node &node, int depth) {
    std::vector<Link> links;
    if (!listLinks(g, obj, links) || !readNodeType(g, links, obj, node.type))
      return false;
    bool isGraph = node.type == "NIRGraph";
    if (isGraph) {
      node.graph = std::make_unique<Graph>();
      if (!readGraph(g, links, obj, *node.graph, depth + 1))
        return false;
    }
    for (const Link &l : links) {
      if (l.name == "type" ||
          (isGraph && (l.name == "nodes" || l.name == "edges")))
        continue;
      std::string child = obj + "/" + l.name;
      Handle h;
      if (!openChild(g, l, child, H5I_BADID, h))
        return false;
      // Groups (metadata, or anything a newer writer adds) carry nothing
      // the importer understands.
      if (H5Iget_type(h.get()) != H5I_DATASET)
        continue;
      Handle ftype(H5Dget_type(h.get()), H5Tclose);
      if (H5Tget_class(ftype.get()) == H5T_STRING) {
        if (!readOneString(h.get(), child, node.strings[l.name]))
          return false;
      } else if (!readArray(h.get(), ftype.get(), child, node.params[l.name])) {
        return false;
      }
    }
    return true;
  }

  bool readEdges(hid_t g, const Link &link, const std::string &obj,
                 Graph &graph) {
    Handle ds;
    if (!openChild(g, link, obj, H5I_DATASET, ds))
      return false;
    Handle ftype(H5Dget_type(ds.get()), H5Tclose);
    H5T_class_t cls = H5Tget_class(ftype.get());
    std::vector<hsize_t> dims;
    std::vector<std::string> values;
    int64_t n = 0;
    if (cls == H5T_STRING
            ? !readStrings(ds.get(), ftype.get(), obj, values, dims)
            : !readShape(ds.get(), ftype.get(), obj, dims, n))
      return false;
    // Writers have stored "no edges" as an empty array of any type.
    if (values.empty() && n == 0)
      return true;
    if (cls != H5T_STRING || dims.size() != 2 || dims[1] != 2)
      return fail(obj, std::string("edges must be an (N,2) array of strings, "
                                   "found ") +
                           className(cls) + " data of shape " +
                           shapeString(dims));
    for (size_t k = 0; k + 1 < values.size(); k += 2)
      graph.edges.emplace_back(std::move(values[k]), std::move(values[k + 1]));
    return true;
  }

  bool readGraph(hid_t g, const std::vector<Link> &links,
                 const std::string &obj, Graph &graph, int depth) {
    graph.h5path = obj;
    if (depth > kMaxDepth)
      return fail(obj, "graphs nested deeper than " +
                           std::to_string(kMaxDepth) +
                           " levels; the file is corrupt or cyclic");
    // A graph without nodes/ is empty; the importer can reject that.
    if (const Link *l = findLink(links, "nodes")) {
      std::string nodesPath = obj + "/nodes";
      Handle nodes;
      std::vector<Link> members;
      if (!openChild(g, *l, nodesPath, H5I_GROUP, nodes) ||
          !listLinks(nodes.get(), nodesPath, members))
        return false;
      for (const Link &m : members) {
        Node node;
        node.name = m.name;
        node.h5path = nodesPath + "/" + m.name;
        if (++nodeCount_ > kMaxNodes)
          return fail(node.h5path, "more than " + std::to_string(kMaxNodes) +
                                       " nodes; refusing to load the file");
        Handle h;
        if (!openChild(nodes.get(), m, node.h5path, H5I_GROUP, h) ||
            !readNode(h.get(), node.h5path, node, depth))
          return false;
        graph.nodes.push_back(std::move(node));
      }
    }
    const Link *e = findLink(links, "edges");
    return !e || readEdges(g, *e, obj + "/edges", graph);
  }

  const std::string &file_;
  std::string &error_;
  HeapGuard heap_;
  int64_t totalElements_ = 0;
  size_t nodeCount_ = 0;
};

/// Why a file without an HDF5 signature was given to us, if we can tell.
std::string notHdf5Hint(const unsigned char *head, size_t n) {
  if (n == 0)
    return "empty file";
  const char *fix = ", e.g. from torch.save; export the model with nir.write";
  if (head[0] == 0x80)
    return std::string("looks like a Python pickle") + fix;
  if (n >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0)
    return std::string("looks like a zip archive") + fix;
  return "no HDF5 signature";
}

/// HDF5 looks for its signature at offset 0, 512, 1024, ... (after a user
/// block); checking it ourselves gives a better message than H5Fopen.
bool checkSignature(const std::string &path, std::string &error) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    error = path + (errno == ENOENT ? std::string(": no such file")
                                    : ": " + std::string(strerror(errno)));
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    error = path + ": is a directory, not a NIR file";
    return false;
  }
  FILE *fp = std::fopen(path.c_str(), "rb");
  if (!fp) {
    error = path + ": cannot open: " + strerror(errno);
    return false;
  }
  static const unsigned char kSig[8] = {0x89, 'H',  'D',  'F',
                                        '\r', '\n', 0x1a, '\n'};
  unsigned char head[8], buf[8];
  size_t headLen = std::fread(head, 1, sizeof head, fp);
  bool found = false;
  for (long off = 0; off + 8 <= st.st_size && !found; off = off ? off * 2 : 512)
    found = std::fseek(fp, off, SEEK_SET) == 0 &&
            std::fread(buf, 1, 8, fp) == 8 && !std::memcmp(buf, kSig, 8);
  std::fclose(fp);
  if (!found)
    error = path + ": not an HDF5 file (" + notHdf5Hint(head, headLen) + ")";
  return found;
}

} // namespace

bool readNirFile(const std::string &path, Document &out, std::string &error) {
  out = Document{};
  if (!checkSignature(path, error))
    return false;
  silenceHdf5();
  try {
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
#if (H5_VERS_MAJOR == 1 && H5_VERS_MINOR == 10 && H5_VERS_RELEASE >= 7) ||     \
    H5_VERSION_GE(1, 12, 1)
    // Read-only access should not fail on file systems without locks.
    H5Pset_file_locking(fapl.get(), true, true);
#endif
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()), H5Fclose);
    if (!file.valid()) {
      error = path + ": cannot open as HDF5" + hdf5Detail() +
              "; the file is truncated or corrupt, re-export it";
      return false;
    }
    Document doc;
    if (!Reader(path, file.get(), error).readDocument(file.get(), doc))
      return false;
    out = std::move(doc);
    return true;
  } catch (const std::exception &e) {
    error = path + ": " + e.what();
  }
  return false;
}

} // namespace snnc::nir
