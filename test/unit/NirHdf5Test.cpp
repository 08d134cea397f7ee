//===- NirHdf5Test.cpp - Tests for the NIR HDF5 reader and writer ---------===//
//
// Malformed files are crafted with the HDF5 C API directly, because the
// writer under test refuses to produce them.
//
//===----------------------------------------------------------------------===//
#include "compiler/nir/NirModel.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace snnc::nir;
namespace fs = std::filesystem;

namespace {

class NirHdf5Test : public ::testing::Test {
protected:
  void SetUp() override {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("nirhdf5-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    // Every path through the reader and writer must close its handles.
    EXPECT_EQ(0, H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL));
    fs::remove_all(dir_);
  }

  std::string path(const std::string &name) const { return dir_ / name; }

  std::string slurp(const std::string &p) const {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  fs::path dir_;
};

Node leaf(const std::string &name, const std::string &type) {
  Node n;
  n.name = name;
  n.type = type;
  return n;
}

/// A document touching every feature: all dtypes, scalar/vector/N-D and
/// empty shapes, string params, dotted and numeric names, a subgraph two
/// levels deep and a graph with no edges.
Document sampleDocument() {
  Document d;
  d.version = "1.0.7.dev8+gaf2635601";
  Node in = leaf("0", "Input");
  in.params["shape"] = Array::ints({1}, {3});
  Node lif = leaf("lif1.lif", "LIF");
  lif.params["tau"] = Array::floats(DType::F32, {3}, {0.5, 0.1, -2.0});
  lif.params["v_threshold"] = Array::floats(DType::F64, {}, {0.1});
  lif.params["r"] = Array::ints({}, {-7});
  lif.params["empty"] = Array::floats(DType::F64, {0, 3}, {});
  Node conv = leaf("conv", "Conv2d");
  std::vector<double> w;
  for (int k = 0; k < 2 * 1 * 3 * 3; ++k)
    w.push_back(k * 0.25 - 1);
  conv.params["weight"] = Array::floats(DType::F32, {2, 1, 3, 3}, w);
  conv.params["stride"] = Array::ints({2}, {1, 1});
  conv.strings["padding"] = "same";

  Node inner = leaf("inner", "NIRGraph");
  inner.graph = std::make_unique<Graph>();
  Node li = leaf("li", "LI");
  li.params["tau"] = Array::floats(DType::F64, {2, 2}, {1, 2, 3, 4});
  inner.graph->nodes.push_back(std::move(li)); // no edges at this level
  Node sub = leaf("sub.graph", "NIRGraph");
  sub.graph = std::make_unique<Graph>();
  sub.graph->nodes.push_back(std::move(inner));
  sub.graph->nodes.push_back(leaf("x", "Output"));
  sub.graph->edges = {{"inner", "x"}};

  d.root.nodes.push_back(std::move(in));
  d.root.nodes.push_back(std::move(conv));
  d.root.nodes.push_back(std::move(lif));
  d.root.nodes.push_back(std::move(sub));
  d.root.nodes.push_back(leaf("output", "Output"));
  d.root.edges = {{"0", "conv"},
                  {"conv", "lif1.lif"},
                  {"lif1.lif", "sub.graph"},
                  {"sub.graph", "output"}};
  return d;
}

void expectSameArray(const Array &a, const Array &b, const std::string &what) {
  EXPECT_EQ(a.dtype, b.dtype) << what;
  EXPECT_EQ(a.shape, b.shape) << what;
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t k = 0; k < a.size(); ++k) {
    // float32 storage rounds; the reader must widen it exactly.
    double want =
        a.dtype == DType::F32 ? double(float(a.asDouble(k))) : a.asDouble(k);
    EXPECT_EQ(want, b.asDouble(k)) << what << "[" << k << "]";
  }
}

void expectSameGraph(const Graph &a, const Graph &b, const std::string &at) {
  EXPECT_EQ(at, b.h5path);
  EXPECT_EQ(a.edges, b.edges) << at;
  std::vector<const Node *> sorted;
  for (const Node &n : a.nodes)
    sorted.push_back(&n);
  std::sort(sorted.begin(), sorted.end(),
            [](const Node *x, const Node *y) { return x->name < y->name; });
  ASSERT_EQ(sorted.size(), b.nodes.size()) << at;
  for (size_t k = 0; k < sorted.size(); ++k) {
    const Node &x = *sorted[k], &y = b.nodes[k];
    std::string p = at + "/nodes/" + x.name;
    EXPECT_EQ(x.name, y.name) << at << " node order";
    EXPECT_EQ(p, y.h5path);
    EXPECT_EQ(x.type, y.type) << p;
    EXPECT_EQ(x.strings, y.strings) << p;
    ASSERT_EQ(x.params.size(), y.params.size()) << p;
    for (const auto &[key, arr] : x.params) {
      ASSERT_TRUE(y.params.count(key)) << p << "/" << key;
      expectSameArray(arr, y.params.at(key), p + "/" + key);
    }
    ASSERT_EQ(bool(x.graph), bool(y.graph)) << p;
    if (x.graph)
      expectSameGraph(*x.graph, *y.graph, p);
  }
}

/// Filters on the creation property list of dataset `name` in `file`.
int filterCount(const std::string &file, const char *name, bool &deflate) {
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
  hid_t dcpl = H5Dget_create_plist(ds);
  int n = H5Pget_nfilters(dcpl);
  deflate = false;
  for (int k = 0; k < n; ++k) {
    unsigned flags = 0, cd[8];
    size_t ncd = 8;
    if (H5Pget_filter2(dcpl, unsigned(k), &flags, &ncd, cd, 0, nullptr,
                       nullptr) == H5Z_FILTER_DEFLATE)
      deflate = true;
  }
  H5Pclose(dcpl);
  H5Dclose(ds);
  H5Fclose(f);
  return n;
}

// Helpers that craft files by hand. Handles are leaked deliberately on the
// error paths; each helper runs once per test.
hid_t vlenString() {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

void putString(hid_t loc, const char *name, const char *value) {
  hid_t t = vlenString(), s = H5Screate(H5S_SCALAR);
  hid_t d = H5Dcreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value);
  H5Dclose(d);
  H5Sclose(s);
  H5Tclose(t);
}

void putStrings(hid_t loc, const char *name, std::vector<hsize_t> dims,
                std::vector<const char *> values) {
  hid_t t = vlenString();
  hid_t s = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
  hid_t d = H5Dcreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Dclose(d);
  H5Sclose(s);
  H5Tclose(t);
}

template <typename T>
void putNumbers(hid_t loc, const char *name, hid_t ftype, hid_t mtype,
                std::vector<hsize_t> dims, std::vector<T> values) {
  hid_t s = dims.empty()
                ? H5Screate(H5S_SCALAR)
                : H5Screate_simple(int(dims.size()), dims.data(), nullptr);
  hid_t d =
      H5Dcreate2(loc, name, ftype, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Dclose(d);
  H5Sclose(s);
}

/// Creates a file with /version and a root graph holding one `Output` node
/// "out", then lets `edit` damage it.
template <typename Edit>
void craft(const std::string &file, Edit edit, bool withNodeGroup = true) {
  hid_t f = H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  putString(f, "version", "0.2.0");
  if (withNodeGroup) {
    hid_t g = H5Gcreate2(f, "node", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    putString(g, "type", "NIRGraph");
    hid_t nodes = H5Gcreate2(g, "nodes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t out = H5Gcreate2(nodes, "out", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    putString(out, "type", "Output");
    edit(g, out);
    H5Gclose(out);
    H5Gclose(nodes);
    H5Gclose(g);
  }
  H5Fclose(f);
}

TEST_F(NirHdf5Test, RoundTripPreservesEverything) {
  Document d = sampleDocument();
  std::string file = path("model.nir"), err;
  ASSERT_TRUE(writeNirFile(d, file, err)) << err;
  Document back;
  ASSERT_TRUE(readNirFile(file, back, err)) << err;
  EXPECT_EQ(d.version, back.version);
  expectSameGraph(d.root, back.root, "/node");
  const Node *sub = back.root.find("sub.graph");
  ASSERT_TRUE(sub && sub->graph);
  const Node *inner = sub->graph->find("inner");
  ASSERT_TRUE(inner && inner->graph);
  EXPECT_TRUE(inner->graph->edges.empty());
  EXPECT_EQ("/node/nodes/sub.graph/nodes/inner", inner->graph->h5path);
  EXPECT_EQ(nullptr, back.root.find("missing"));
  // Nothing but the target is left in the directory.
  EXPECT_EQ(1, std::distance(fs::directory_iterator(dir_), {}));
}

TEST_F(NirHdf5Test, LayoutMatchesNirWriter) {
  std::string file = path("layout.nir"), err;
  ASSERT_TRUE(writeNirFile(sampleDocument(), file, err)) << err;
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  for (const char *name :
       {"/version", "/node/type", "/node/edges", "/node/nodes/conv/padding"}) {
    hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
    hid_t t = H5Dget_type(ds);
    EXPECT_EQ(H5T_STRING, H5Tget_class(t)) << name;
    EXPECT_GT(H5Tis_variable_str(t), 0) << name;
    EXPECT_EQ(H5T_CSET_UTF8, H5Tget_cset(t)) << name;
    H5Tclose(t);
    H5Dclose(ds);
  }
  // A graph without edges still has an (0,2) edges dataset.
  hid_t ds =
      H5Dopen2(f, "/node/nodes/sub.graph/nodes/inner/edges", H5P_DEFAULT);
  ASSERT_GE(ds, 0);
  hid_t s = H5Dget_space(ds);
  hsize_t dims[2] = {9, 9};
  EXPECT_EQ(2, H5Sget_simple_extent_dims(s, dims, nullptr));
  EXPECT_EQ(0u, dims[0]);
  EXPECT_EQ(2u, dims[1]);
  H5Sclose(s);
  H5Dclose(ds);
  ds = H5Dopen2(f, "/node/nodes/lif1.lif/tau", H5P_DEFAULT);
  hid_t t = H5Dget_type(ds);
  EXPECT_GT(H5Tequal(t, H5T_IEEE_F32LE), 0);
  H5Tclose(t);
  H5Dclose(ds);
  H5Fclose(f);
}

TEST_F(NirHdf5Test, GzipLevelControlsDeflateFilter) {
  std::string packed = path("gz.nir"), plain = path("plain.nir"), err;
  ASSERT_TRUE(writeNirFile(sampleDocument(), packed, err, 4)) << err;
  ASSERT_TRUE(writeNirFile(sampleDocument(), plain, err, 0)) << err;
  bool deflate = false;
  EXPECT_EQ(1, filterCount(packed, "/node/nodes/conv/weight", deflate));
  EXPECT_TRUE(deflate);
  // Scalars cannot be chunked, hence cannot be compressed.
  EXPECT_EQ(0, filterCount(packed, "/node/nodes/lif1.lif/r", deflate));
  EXPECT_EQ(0, filterCount(plain, "/node/nodes/conv/weight", deflate));
  EXPECT_FALSE(deflate);
  EXPECT_FALSE(writeNirFile(sampleDocument(), plain, err, 10));
  EXPECT_NE(std::string::npos, err.find("gzip")) << err;
}

TEST_F(NirHdf5Test, WriteIsDeterministic) {
  std::string a = path("a.nir"), b = path("b.nir"), err;
  ASSERT_TRUE(writeNirFile(sampleDocument(), a, err)) << err;
  ASSERT_TRUE(writeNirFile(sampleDocument(), b, err)) << err;
  EXPECT_EQ(slurp(a), slurp(b));
}

TEST_F(NirHdf5Test, MissingFile) {
  Document d;
  std::string err, file = path("nope.nir");
  EXPECT_FALSE(readNirFile(file, d, err));
  EXPECT_EQ(file + ": no such file", err);
}

TEST_F(NirHdf5Test, PickleIsNotHdf5) {
  std::string file = path("Braille_snntorch.nir"), err;
  std::ofstream(file, std::ios::binary) << "\x80\x02\x8a\nl\xfc\x9c"
                                           "F\xf9 j.";
  Document d;
  EXPECT_FALSE(readNirFile(file, d, err));
  EXPECT_EQ(0u, err.find(file + ": not an HDF5 file (")) << err;
  EXPECT_NE(std::string::npos, err.find("pickle")) << err;
}

TEST_F(NirHdf5Test, TruncatedFileFailsCleanly) {
  std::string file = path("cut.nir"), err;
  ASSERT_TRUE(writeNirFile(sampleDocument(), file, err, 0)) << err;
  fs::resize_file(file, fs::file_size(file) / 2);
  Document d;
  EXPECT_FALSE(readNirFile(file, d, err));
  EXPECT_EQ(0u, err.find(file + ": ")) << err;
  EXPECT_GT(err.size(), file.size() + 10) << err;
  EXPECT_EQ(std::string::npos, err.find('\n')) << err;
}

TEST_F(NirHdf5Test, CorruptGlobalHeapFailsCleanly) {
  // libhdf5 1.10 overflows a buffer when a heap object's size is corrupt;
  // the reader must notice before handing the strings to it.
  std::string file = path("heap.nir"), err;
  ASSERT_TRUE(writeNirFile(sampleDocument(), file, err, 0)) << err;
  std::string bytes = slurp(file);
  size_t heap = bytes.find("GCOL");
  ASSERT_NE(std::string::npos, heap);
  bytes.replace(heap + 16 + 8, 8, std::string(8, '\x7f'));
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  Document d;
  EXPECT_FALSE(readNirFile(file, d, err));
  EXPECT_EQ(0u, err.find(file + ": /version: ")) << err;
  EXPECT_NE(std::string::npos, err.find("global heap")) << err;
}

TEST_F(NirHdf5Test, MissingRootGraph) {
  std::string file = path("noroot.nir"), err;
  craft(
      file, [](hid_t, hid_t) {}, /*withNodeGroup=*/false);
  Document d;
  EXPECT_FALSE(readNirFile(file, d, err));
  EXPECT_EQ(0u, err.find(file + ": /node: missing")) << err;
}

TEST_F(NirHdf5Test, MissingNodeType) {
  std::string file = path("notype.nir"), err;
  craft(file, [](hid_t, hid_t out) { H5Ldelete(out, "type", H5P_DEFAULT); });
  Document d;
  EXPECT_FALSE(readNirFile(file, d, err));
  EXPECT_NE(std::string::npos, err.find(file + ": /node/nodes/out: ")) << err;
  EXPECT_NE(std::string::npos, err.find("'type'")) << err;
}

TEST_F(NirHdf5Test, NodeTypeMustBeString) {
  std::string file = path("inttype.nir"), err;
  craft(file, [](hid_t, hid_t out) {
    H5Ldelete(out, "type", H5P_DEFAULT);
    putNumbers<int64_t>(out, "type", H5T_STD_I64LE, H5T_NATIVE_INT64, {}, {3});
  });
  Document d;
  EXPECT_FALSE(readNirFile(file, d, err));
  EXPECT_NE(std::string::npos, err.find("/node/nodes/out/type: must be a "
                                        "string"))
      << err;
}

TEST_F(NirHdf5Test, EdgesMustBeNBy2Strings) {
  std::string file = path("edges.nir"), err;
  craft(file, [](hid_t g, hid_t) {
    putStrings(g, "edges", {3}, {"a", "b", "c"});
  });
  Document d;
  EXPECT_FALSE(readNirFile(file, d, err));
  EXPECT_NE(std::string::npos, err.find(file + ": /node/edges: ")) << err;
  EXPECT_NE(std::string::npos, err.find("(3)")) << err;
}

TEST_F(NirHdf5Test, CompoundParameterRejected) {
  std::string file = path("compound.nir"), err;
  craft(file, [](hid_t, hid_t out) {
    struct Pair {
      double a;
      int64_t b;
    };
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(Pair));
    H5Tinsert(t, "a", HOFFSET(Pair, a), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "b", HOFFSET(Pair, b), H5T_NATIVE_INT64);
    putNumbers<Pair>(out, "weight", t, t, {1}, {{1.0, 2}});
    H5Tclose(t);
  });
  Document d;
  EXPECT_FALSE(readNirFile(file, d, err));
  EXPECT_NE(std::string::npos, err.find("/node/nodes/out/weight: unsupported "
                                        "dtype (compound"))
      << err;
}

TEST_F(NirHdf5Test, ReadsForeignDtypesAndStringForms) {
  std::string file = path("foreign.nir"), err;
  craft(file, [](hid_t g, hid_t out) {
    putNumbers<int32_t>(out, "i32", H5T_STD_I32BE, H5T_NATIVE_INT32, {2},
                        {-5, 7});
    putNumbers<uint8_t>(out, "u8", H5T_STD_U8LE, H5T_NATIVE_UINT8, {}, {200});
    // numpy's float16 as h5py stores it.
    hid_t half = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_fields(half, 15, 10, 5, 0, 10);
    H5Tset_size(half, 2);
    H5Tset_ebias(half, 15);
    putNumbers<float>(out, "f16", half, H5T_NATIVE_FLOAT, {2}, {1.5f, -2});
    H5Tclose(half);
    // numpy's bool as h5py stores it: an enum over int8.
    hid_t b = H5Tenum_create(H5T_NATIVE_INT8);
    int8_t no = 0, yes = 1;
    H5Tenum_insert(b, "FALSE", &no);
    H5Tenum_insert(b, "TRUE", &yes);
    putNumbers<int8_t>(out, "flag", b, b, {3}, {1, 0, 1});
    H5Tclose(b);
    // Fixed-length ASCII strings, null- and space-padded.
    hid_t fixed = H5Tcopy(H5T_C_S1);
    H5Tset_size(fixed, 8);
    H5Tset_strpad(fixed, H5T_STR_SPACEPAD);
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t ds = H5Dcreate2(out, "padding", fixed, s, H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT);
    H5Dwrite(ds, fixed, H5S_ALL, H5S_ALL, H5P_DEFAULT, "valid   ");
    H5Dclose(ds);
    H5Sclose(s);
    H5Tset_size(fixed, 4);
    H5Tset_strpad(fixed, H5T_STR_NULLPAD);
    hsize_t dims[2] = {1, 2};
    s = H5Screate_simple(2, dims, nullptr);
    ds =
        H5Dcreate2(g, "edges", fixed, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, fixed, H5S_ALL, H5S_ALL, H5P_DEFAULT, "out\0out\0");
    H5Dclose(ds);
    H5Sclose(s);
    H5Tclose(fixed);
    // Groups other than nodes/ are ignored.
    H5Gclose(H5Gcreate2(g, "metadata", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Gclose(H5Gcreate2(out, "extra", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  });
  Document d;
  ASSERT_TRUE(readNirFile(file, d, err)) << err;
  ASSERT_EQ(1u, d.root.nodes.size());
  const Node &n = d.root.nodes[0];
  EXPECT_EQ("/node/nodes/out", n.h5path);
  ASSERT_EQ(4u, n.params.size());
  EXPECT_EQ(DType::I64, n.params.at("i32").dtype);
  EXPECT_EQ((std::vector<int64_t>{-5, 7}), n.params.at("i32").i);
  EXPECT_EQ((std::vector<int64_t>{200}), n.params.at("u8").i);
  EXPECT_TRUE(n.params.at("u8").shape.empty());
  EXPECT_EQ(DType::F32, n.params.at("f16").dtype);
  EXPECT_EQ((std::vector<double>{1.5, -2}), n.params.at("f16").f);
  EXPECT_EQ((std::vector<int64_t>{1, 0, 1}), n.params.at("flag").i);
  EXPECT_EQ("valid", n.strings.at("padding"));
  ASSERT_EQ(1u, d.root.edges.size());
  EXPECT_EQ(std::make_pair(std::string("out"), std::string("out")),
            d.root.edges[0]);
}

TEST_F(NirHdf5Test, CyclicGraphHitsDepthLimit) {
  std::string file = path("cycle.nir"), err;
  craft(file, [](hid_t g, hid_t out) {
    // Turn "out" into a graph whose only node is a hard link to itself.
    H5Ldelete(out, "type", H5P_DEFAULT);
    putString(out, "type", "NIRGraph");
    hid_t nodes =
        H5Gcreate2(out, "nodes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Lcreate_hard(g, "nodes/out", nodes, "again", H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(nodes);
  });
  Document d;
  EXPECT_FALSE(readNirFile(file, d, err));
  EXPECT_NE(std::string::npos, err.find("nested deeper than")) << err;
  EXPECT_EQ(0u, err.find(file + ": /node/nodes/out/nodes/again/")) << err;
}

TEST_F(NirHdf5Test, WriteRejectsInconsistentArrayAndKeepsTarget) {
  std::string file = path("keep.nir"), err;
  ASSERT_TRUE(writeNirFile(sampleDocument(), file, err)) << err;
  std::string before = slurp(file);
  Document bad = sampleDocument();
  bad.root.nodes[2].params["tau"] = Array::floats(DType::F32, {2, 2}, {1, 2});
  EXPECT_FALSE(writeNirFile(bad, file, err));
  EXPECT_NE(std::string::npos,
            err.find(file + ": /node/nodes/lif1.lif/tau: shape (2,2) needs 4 "
                            "values"))
      << err;
  EXPECT_EQ(before, slurp(file));
  EXPECT_EQ(1, std::distance(fs::directory_iterator(dir_), {}));
}

TEST_F(NirHdf5Test, WriteRejectsBadNames) {
  std::string file = path("names.nir"), err;
  Document slash = sampleDocument();
  slash.root.nodes[0].name = "a/b";
  EXPECT_FALSE(writeNirFile(slash, file, err));
  EXPECT_NE(std::string::npos, err.find("'a/b'")) << err;
  EXPECT_NE(std::string::npos, err.find("'/'")) << err;

  Document dup = sampleDocument();
  dup.root.nodes[1].name = "0";
  EXPECT_FALSE(writeNirFile(dup, file, err));
  EXPECT_NE(std::string::npos, err.find("duplicate node name '0'")) << err;

  Document empty = sampleDocument();
  empty.root.nodes[3].graph->nodes[1].name = "";
  EXPECT_FALSE(writeNirFile(empty, file, err));
  EXPECT_NE(std::string::npos, err.find("/node/nodes/sub.graph/nodes")) << err;

  Document orphan = sampleDocument();
  orphan.root.nodes[3].graph.reset();
  EXPECT_FALSE(writeNirFile(orphan, file, err));
  EXPECT_NE(std::string::npos, err.find("sub.graph")) << err;
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(0, std::distance(fs::directory_iterator(dir_), {}));
}

TEST_F(NirHdf5Test, FailedRenameLeavesNoTemporaryFile) {
  // A directory in the target's place makes only the final rename() fail.
  std::string target = path("model.nir"), err;
  fs::create_directories(fs::path(target) / "keep");
  EXPECT_FALSE(writeNirFile(sampleDocument(), target, err));
  EXPECT_EQ(0u, err.find(target + ": cannot replace it")) << err;
  EXPECT_TRUE(fs::is_directory(fs::path(target) / "keep"));
  EXPECT_EQ(1, std::distance(fs::directory_iterator(dir_), {}));
}

TEST_F(NirHdf5Test, Uint64BeyondInt64Rejected) {
  std::string file = path("u64.nir"), err;
  craft(file, [](hid_t, hid_t out) {
    putNumbers<uint64_t>(out, "n", H5T_STD_U64LE, H5T_NATIVE_UINT64, {2},
                         {1, uint64_t(1) << 63});
  });
  Document d;
  EXPECT_FALSE(readNirFile(file, d, err));
  EXPECT_NE(std::string::npos,
            err.find("/node/nodes/out/n: uint64 value 9223372036854775808"))
      << err;
}

TEST_F(NirHdf5Test, WriteIntoMissingDirectoryFails) {
  std::string file = path("no/such/dir/x.nir"), err;
  EXPECT_FALSE(writeNirFile(sampleDocument(), file, err));
  EXPECT_EQ(0u, err.find(file + ": ")) << err;
}

TEST(NirModel, Helpers) {
  EXPECT_STREQ("float32", dtypeName(DType::F32));
  EXPECT_STREQ("float64", dtypeName(DType::F64));
  EXPECT_STREQ("int64", dtypeName(DType::I64));
  EXPECT_EQ(1, Array::ints({}, {4}).numElements());
  EXPECT_EQ(0, Array::ints({3, 0}, {}).numElements());
  EXPECT_EQ(24, Array::floats(DType::F64, {2, 3, 4}, {}).numElements());
  EXPECT_EQ(-1, Array::ints({-1}, {}).numElements());
  Array f = Array::floats(DType::F32, {2}, {1.5, 2});
  EXPECT_TRUE(f.isFloat());
  EXPECT_EQ(2u, f.size());
  EXPECT_EQ(1.5, f.asDouble(0));
}

} // namespace

// A NIR file (written by h5py) whose root group's local heap has an
// undefined data address: libhdf5 1.10 dereferences it while listing the
// group's members and the process dies of SIGSEGV. Kept in the fuzz
// regression corpus.
TEST_F(NirHdf5Test, IsolatedReadTurnsALibhdf5CrashIntoAnError) {
  std::string bad = path("bad.nir"), err;
  fs::copy_file(SNNC_FUZZ_CORPUS "/nir/crash-local-heap-address-undefined.nir",
                bad);
  Document d;
  EXPECT_FALSE(readNirFileIsolated(bad, d, err));
  // The child dies of the signal, or (under a sanitizer) exits with 1.
  const std::string tail =
      "): the file's HDF5 structures are corrupt (it was read in a separate "
      "process, so only that one failed); re-export the file";
  const std::string head = bad + ": /: libhdf5 crashed while reading this "
                                 "object (";
  EXPECT_TRUE(err == head + "SIGSEGV" + tail ||
              err == head + "exit status 1" + tail)
      << err;
  EXPECT_TRUE(d.root.nodes.empty());
}

TEST_F(NirHdf5Test, IsolatedReadGivesTheSameResultAsTheDirectOne) {
  std::string file = path("same.nir"), err, errIso;
  ASSERT_TRUE(writeNirFile(sampleDocument(), file, err)) << err;
  Document direct, isolated;
  ASSERT_TRUE(readNirFile(file, direct, err)) << err;
  ASSERT_TRUE(readNirFileIsolated(file, isolated, errIso)) << errIso;
  EXPECT_EQ(direct.version, isolated.version);
  ASSERT_EQ(direct.root.nodes.size(), isolated.root.nodes.size());
  EXPECT_EQ(direct.root.edges, isolated.root.edges);
  // An ordinary error comes back word for word.
  fs::resize_file(file, fs::file_size(file) / 2);
  EXPECT_FALSE(readNirFile(file, direct, err));
  EXPECT_FALSE(readNirFileIsolated(file, isolated, errIso));
  EXPECT_EQ(err, errIso);
}
