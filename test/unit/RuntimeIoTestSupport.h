//===- RuntimeIoTestSupport.h - Fixtures for RuntimeIoTest.cpp --*- C++ -*-===//
//
// A per-test scratch directory, readers for what the runtime writes (HDF5
// attributes, SVG structure), and .npy files written by numpy so readNpy is
// checked against the reference writer without Python at test time.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TEST_RUNTIMEIOTESTSUPPORT_H
#define SNNC_TEST_RUNTIMEIOTESTSUPPORT_H

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace snnc_test {
namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class IoTest : public ::testing::Test {
protected:
  void SetUp() override {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("snnc-io-" + std::string(info->test_suite_name()) + "-" +
            info->name() + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string &name) const { return dir_ / name; }
  std::string put(const std::string &name, const std::string &bytes) const {
    std::ofstream(path(name), std::ios::binary) << bytes;
    return path(name);
  }
  template <size_t N>
  std::string put(const std::string &name, const char (&lit)[N]) const {
    return put(name, std::string(lit, N - 1));
  }
  size_t entries() const {
    return size_t(std::distance(fs::directory_iterator(dir_), {}));
  }
  fs::path dir_;
};

inline std::string slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string corpus(const std::string &rel) {
  const char *env = std::getenv("SNNC_EXTERNAL_DATA");
  return std::string(env ? env : SNNC_DEFAULT_EXTERNAL_DATA) + "/" + rel;
}

// Owns an HDF5 identifier.
struct H5 {
  hid_t id;
  herr_t (*close)(hid_t);
  ~H5() {
    if (id >= 0)
      close(id);
  }
};

inline std::string stringAttr(hid_t obj, const char *name) {
  H5 attr{H5Aopen(obj, name, H5P_DEFAULT), H5Aclose};
  H5 type{H5Aget_type(attr.id), H5Tclose};
  EXPECT_GT(H5Tis_variable_str(type.id), 0) << name;
  EXPECT_EQ(H5Tget_cset(type.id), H5T_CSET_UTF8) << name;
  char *s = nullptr;
  if (H5Aread(attr.id, type.id, &s) < 0 || !s)
    return "<unreadable>";
  std::string out(s);
  H5free_memory(s);
  return out;
}

// True when every start tag has its end tag, properly nested.
inline bool balancedTags(const std::string &xml) {
  std::vector<std::string> open;
  for (size_t i = xml.find('<'); i != std::string::npos;
       i = xml.find('<', i + 1)) {
    size_t end = xml.find('>', i);
    if (end == std::string::npos)
      return false;
    std::string tag = xml.substr(i + 1, end - i - 1);
    if (tag[0] == '?' || tag.back() == '/')
      continue;
    std::string name = tag.substr(0, tag.find_first_of(" \n"));
    if (name[0] != '/')
      open.push_back(name);
    else if (open.empty() || open.back() != name.substr(1))
      return false;
    else
      open.pop_back();
  }
  return open.empty();
}

// Marks in each spikes path, in track order.
inline std::vector<size_t> markCounts(const std::string &svg) {
  std::vector<size_t> counts;
  const std::string key = "class=\"spikes\" d=\"";
  for (size_t i = svg.find(key); i != std::string::npos;
       i = svg.find(key, i + 1)) {
    size_t start = i + key.size(), end = svg.find('"', start);
    counts.push_back(size_t(
        std::count(svg.begin() + long(start), svg.begin() + long(end), 'M')));
  }
  return counts;
}

// Each array's size is sizeof - 1 (the literal's terminating NUL).
// clang-format off
// Written by numpy 1.24.2 (np.save / np.lib.format.write_array).
// np.array([[1.5, -2.25, 3e10], [0, 1e-3, -7]], '<f8')
constexpr char kF8[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'sh"
    "ape': (2, 3), }                                                   "
    "       \x0a\x00\x00\x00\x00\x00\x00\xf8\x3f\x00\x00\x00\x00\x00"
    "\x00\x02\xc0\x00\x00\x00\xb0\x8e\xf0\x1b" "B\x00\x00\x00\x00\x00"
    "\x00\x00\x00\xfc\xa9\xf1\xd2MbP\x3f\x00\x00\x00\x00\x00\x00\x1c"
    "\xc0";
// np.array([True, False, True, True])
constexpr char kB1[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '|b1', 'fortran_order': False, 'sh"
    "ape': (4,), }                                                     "
    "       \x0a\x01\x00\x01\x01";
// np.array([-3, 0, 2**40], '<i8')
constexpr char kI8[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<i8', 'fortran_order': False, 'sh"
    "ape': (3,), }                                                     "
    "       \x0a\xfd\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00";
// np.array([1, 2], '>f4')
constexpr char kBigEndianF4[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '>f4', 'fortran_order': False, 'sh"
    "ape': (2,), }                                                     "
    "       \x0a\x3f\x80\x00\x00@\x00\x00\x00";
// np.array([1, -0.5, 65504, 2**-24, inf], '<f2')
constexpr char kF2[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<f2', 'fortran_order': False, 'sh"
    "ape': (5,), }                                                     "
    "       \x0a\x00<\x00\xb8\xff{\x01\x00\x00|";
// np.asfortranarray(np.array([[1, 2], [3, 4]], '<f4'))
constexpr char kFortran[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': True, 'sha"
    "pe': (2, 2), }                                                    "
    "       \x0a\x00\x00\x80\x3f\x00\x00@@\x00\x00\x00@\x00\x00\x80@";
// np.array(['hello'])
constexpr char kUnicode[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<U5', 'fortran_order': False, 'sh"
    "ape': (1,), }                                                     "
    "       \x0ah\x00\x00\x00" "e\x00\x00\x00l\x00\x00\x00l\x00\x00\x00"
    "o\x00\x00\x00";
// np.float32(2.5)
constexpr char kScalar[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'sh"
    "ape': (), }                                                       "
    "       \x0a\x00\x00 @";
// np.array([[7, 255]], 'u1'), version (2, 0)
constexpr char kV2U1[] =
    "\x93NUMPY\x02\x00t\x00\x00\x00{'descr': '|u1', 'fortran_order': Fa"
    "lse, 'shape': (1, 2), }                                           "
    "             \x0a\x07\xff";
// np.array([-32768, 5], '<i2'), version (3, 0)
constexpr char kV3I2[] =
    "\x93NUMPY\x03\x00t\x00\x00\x00{'descr': '<i2', 'fortran_order': Fa"
    "lse, 'shape': (2,), }                                             "
    "             \x0a\x00\x80\x05\x00";
// np.array([[1, 2, 3], [4, 5, 6]], '<f4')
constexpr char kF4Save[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'sh"
    "ape': (2, 3), }                                                   "
    "       \x0a\x00\x00\x80\x3f\x00\x00\x00@\x00\x00@@\x00\x00\x80@"
    "\x00\x00\xa0@\x00\x00\xc0@";
// np.array([[0, 1], [1, 0]], 'u1')
constexpr char kU1Save[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '|u1', 'fortran_order': False, 'sh"
    "ape': (2, 2), }                                                   "
    "       \x0a\x00\x01\x01\x00";
// clang-format on

} // namespace snnc_test

#endif // SNNC_TEST_RUNTIMEIOTESTSUPPORT_H
