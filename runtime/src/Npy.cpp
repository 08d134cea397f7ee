//===- Npy.cpp - NumPy .npy reader and writer -----------------------------===//
//
// The format: "\x93NUMPY", major and minor version bytes, a little-endian
// header length (2 bytes in 1.0, 4 in 2.0/3.0), then a Python dict literal
// {'descr': ..., 'fortran_order': ..., 'shape': (...), } padded with spaces
// and a newline, then the raw array bytes.
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/Npy.h"

#include "IoUtil.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string_view>

namespace snnc {
namespace {

constexpr std::string_view kMagic("\x93NUMPY", 6);
// numpy's own default max_header_size is 10000; anything far past that is a
// corrupt length field, not a header worth reading into memory.
constexpr uint64_t kMaxHeaderBytes = 1 << 20;

struct Header {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

// Reads the dict literal numpy writes. Python's full literal syntax is not
// needed: numpy always writes string keys, a string (or a list, for
// structured dtypes, kept as raw text so the error can quote it), a bool and
// a tuple of ints (with a trailing 'L' in files from Python 2).
class HeaderParser {
public:
  explicit HeaderParser(std::string_view text) : s_(text) {}

  // Returns an empty string on success, else what was wrong.
  std::string parse(Header &h) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    skipSpace();
    if (!consume('{'))
      return "expected '{' at the start";
    for (;;) {
      skipSpace();
      if (consume('}'))
        break;
      std::string key;
      if (!parseString(key))
        return "expected a quoted key at offset " + std::to_string(pos_);
      skipSpace();
      if (!consume(':'))
        return "expected ':' after '" + key + "'";
      skipSpace();
      if (key == "descr") {
        if (!parseDescr(h.descr))
          return "'descr' is neither a string nor a list";
        haveDescr = true;
      } else if (key == "fortran_order") {
        if (!parseBool(h.fortranOrder))
          return "'fortran_order' is not True or False";
        haveOrder = true;
      } else if (key == "shape") {
        std::string err = parseShape(h.shape);
        if (!err.empty())
          return err;
        haveShape = true;
      } else {
        return "unexpected key '" + key + "'";
      }
      skipSpace();
      if (consume(','))
        continue;
      if (consume('}'))
        break;
      return "expected ',' or '}' at offset " + std::to_string(pos_);
    }
    skipSpace();
    if (pos_ != s_.size())
      return "text after the closing '}'";
    if (!haveDescr || !haveOrder || !haveShape)
      return std::string("missing key '") +
             (!haveDescr   ? "descr"
              : !haveOrder ? "fortran_order"
                           : "shape") +
             "'";
    return "";
  }

private:
  void skipSpace() {
    while (pos_ < s_.size() &&
           std::string_view(" \t\r\n").find(s_[pos_]) != std::string_view::npos)
      ++pos_;
  }
  bool consume(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool consumeWord(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w)
      return false;
    pos_ += w.size();
    return true;
  }
  bool parseString(std::string &out) {
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"'))
      return false;
    char quote = s_[pos_++];
    size_t end = s_.find(quote, pos_);
    if (end == std::string_view::npos)
      return false;
    out = std::string(s_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return true;
  }
  bool parseDescr(std::string &out) {
    if (pos_ >= s_.size() || s_[pos_] != '[')
      return parseString(out);
    size_t start = pos_;
    int depth = 0;
    for (; pos_ < s_.size(); ++pos_) {
      depth += s_[pos_] == '[' ? 1 : s_[pos_] == ']' ? -1 : 0;
      if (depth == 0) {
        out = std::string(s_.substr(start, ++pos_ - start));
        return true;
      }
    }
    return false;
  }
  bool parseBool(bool &out) {
    if (consumeWord("True"))
      return out = true, true;
    if (consumeWord("False"))
      return out = false, true;
    return false;
  }
  std::string parseShape(std::vector<int64_t> &shape) {
    if (!consume('('))
      return "'shape' is not a tuple";
    for (;;) {
      skipSpace();
      if (consume(')'))
        return "";
      if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9')
        return "'shape' holds something other than non-negative integers";
      int64_t d = 0;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
        if (d > (std::numeric_limits<int64_t>::max() - 9) / 10)
          return "a dimension in 'shape' overflows 64 bits";
        d = d * 10 + (s_[pos_++] - '0');
      }
      consume('L');
      shape.push_back(d);
      skipSpace();
      if (consume(')'))
        return "";
      if (!consume(','))
        return "expected ',' or ')' in 'shape'";
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

template <typename U> U loadLE(const unsigned char *p) {
  U v = 0;
  for (size_t i = 0; i < sizeof(U); ++i)
    v = U(v | U(U(p[i]) << (8 * i)));
  return v;
}

float halfToFloat(uint16_t h) {
  int exponent = (h >> 10) & 0x1f;
  int mantissa = h & 0x3ff;
  float v;
  if (exponent == 0)
    v = std::ldexp(float(mantissa), -24); // subnormal
  else if (exponent == 31)
    v = mantissa ? std::numeric_limits<float>::quiet_NaN()
                 : std::numeric_limits<float>::infinity();
  else
    v = std::ldexp(float(mantissa | 0x400), exponent - 25);
  return (h & 0x8000) ? -v : v;
}

using Decoder = float (*)(const unsigned char *);

// Reads sizeof(Bits) little-endian bytes and reinterprets them as Value.
template <typename Bits, typename Value>
float decodeAs(const unsigned char *p) {
  return float(std::bit_cast<Value>(loadLE<Bits>(p)));
}

// A double beyond float's range converts with undefined behaviour in C++;
// numpy's astype(float32) gives +-inf there, and so do we.
float decodeDouble(const unsigned char *p) {
  double d = std::bit_cast<double>(loadLE<uint64_t>(p));
  if (std::abs(d) > double(std::numeric_limits<float>::max()) && !std::isinf(d))
    return d > 0 ? std::numeric_limits<float>::infinity()
                 : -std::numeric_limits<float>::infinity();
  return float(d);
}

float decodeHalf(const unsigned char *p) {
  return halfToFloat(loadLE<uint16_t>(p));
}

// The decoder for a descr such as '<f4', plus its item size; null with the
// reason in `why` when the dtype is not one we read.
Decoder decoderFor(const std::string &descr, int &itemSize, std::string &why) {
  why = "unsupported dtype '" + descr + "'";
  if (descr.size() < 3 ||
      std::string_view("<>|=").find(descr[0]) == std::string_view::npos)
    return nullptr;
  std::string code = descr.substr(1);
  struct Entry {
    const char *code;
    int size;
    Decoder decode;
  };
  static const Entry table[] = {
      {"f2", 2, decodeHalf},
      {"f4", 4, decodeAs<uint32_t, float>},
      {"f8", 8, decodeDouble},
      {"i1", 1, decodeAs<uint8_t, int8_t>},
      {"i2", 2, decodeAs<uint16_t, int16_t>},
      {"i4", 4, decodeAs<uint32_t, int32_t>},
      {"i8", 8, decodeAs<uint64_t, int64_t>},
      {"u1", 1, decodeAs<uint8_t, uint8_t>},
      {"u2", 2, decodeAs<uint16_t, uint16_t>},
      {"u4", 4, decodeAs<uint32_t, uint32_t>},
      {"u8", 8, decodeAs<uint64_t, uint64_t>},
      {"b1", 1, [](const unsigned char *p) { return p[0] ? 1.0f : 0.0f; }},
  };
  for (const Entry &e : table) {
    if (code != e.code)
      continue;
    // Byte order only matters for multi-byte items; numpy writes '|' for
    // one-byte ones but '<'/'>' there mean the same bytes.
    if (e.size > 1 && descr[0] != '<') {
      why += descr[0] == '>' ? " (big-endian; only little-endian is read)"
                             : " (byte order must be '<')";
      return nullptr;
    }
    itemSize = e.size;
    return e.decode;
  }
  why += " (accepted: f2, f4, f8, i1, i2, i4, i8, u1, u2, u4, u8, b1)";
  return nullptr;
}

std::string shapeTuple(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

} // namespace

// The magic, version and header of a C-order array, padded as numpy pads it
// so that the data starts at a multiple of 64 bytes.
std::string detail::npyHeader(const char *descr,
                              const std::vector<int64_t> &shape) {
  std::string dict =
      std::string("{'descr': '") + descr +
      "', 'fortran_order': False, 'shape': " + shapeTuple(shape) + ", }";
  // Version 1.0 has a 2-byte length; 2.0 only exists for headers past that.
  bool v1 = dict.size() + 1 + 10 <= 65535;
  size_t prefix = v1 ? 10 : 12;
  dict.append((64 - (prefix + dict.size() + 1) % 64) % 64, ' ');
  dict.push_back('\n');
  std::string out(kMagic);
  out.push_back(char(v1 ? 1 : 2));
  out.push_back(0);
  for (size_t i = 0; i < prefix - 8; ++i)
    out.push_back(char((dict.size() >> (8 * i)) & 0xff));
  return out + dict;
}

namespace {

template <typename T, typename Encode>
Status writeArray(const std::string &path, const BasicTensor<T> &t,
                  const char *descr, Encode encode) {
  int64_t n =
      detail::checkedElementCount(t.shape, std::numeric_limits<int64_t>::max());
  if (n < 0)
    return invalidArgument("cannot write '" + path + "': shape " +
                           shapeString(t.shape) +
                           " has a negative dimension or overflows");
  if (uint64_t(n) != t.data.size())
    return invalidArgument("cannot write '" + path + "': shape " +
                           shapeString(t.shape) + " needs " +
                           std::to_string(n) + " values, the tensor holds " +
                           std::to_string(t.data.size()));
  std::string header = detail::npyHeader(descr, t.shape);
  return detail::writeAtomically(path, [&](std::FILE *f) {
    if (std::fwrite(header.data(), 1, header.size(), f) != header.size())
      return false;
    constexpr size_t kChunk = 1 << 16;
    std::vector<unsigned char> buf(kChunk * sizeof(T));
    for (size_t i = 0; i < t.data.size(); i += kChunk) {
      size_t m = std::min(kChunk, t.data.size() - i);
      for (size_t j = 0; j < m; ++j)
        encode(t.data[i + j], &buf[j * sizeof(T)]);
      if (std::fwrite(buf.data(), sizeof(T), m, f) != m)
        return false;
    }
    return true;
  });
}

} // namespace

StatusOr<Tensor> readNpy(const std::string &path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st))
    return notFound("'" + path + "': no such file");
  if (fs::is_directory(st))
    return invalidArgument("'" + path + "' is a directory, not a .npy file");
  uint64_t fileSize = fs::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (ec || !in)
    return invalidArgument("cannot open '" + path + "'");

  unsigned char pre[12] = {};
  in.read(reinterpret_cast<char *>(pre), 10);
  size_t got = size_t(in.gcount());
  if (got < kMagic.size() ||
      std::memcmp(pre, kMagic.data(), kMagic.size()) != 0)
    return invalidArgument("'" + path +
                           "' is not a .npy file (no \\x93NUMPY magic)");
  if (got < 10)
    return dataLoss("'" + path + "': .npy header truncated");
  int major = pre[6], minor = pre[7];
  if (major < 1 || major > 3 || minor != 0)
    return invalidArgument("'" + path + "': unsupported .npy version " +
                           std::to_string(major) + "." + std::to_string(minor) +
                           " (read: 1.0, 2.0, 3.0)");
  uint64_t headerLen = loadLE<uint16_t>(pre + 8);
  uint64_t prefix = 10;
  if (major >= 2) {
    in.read(reinterpret_cast<char *>(pre + 10), 2);
    if (in.gcount() < 2)
      return dataLoss("'" + path + "': .npy header truncated");
    headerLen = loadLE<uint32_t>(pre + 8);
    prefix = 12;
  }
  if (headerLen > kMaxHeaderBytes)
    return invalidArgument("'" + path + "': .npy header length " +
                           std::to_string(headerLen) + " is implausible");
  if (prefix + headerLen > fileSize)
    return dataLoss("'" + path + "': .npy header truncated (file has " +
                    std::to_string(fileSize) + " bytes, header claims " +
                    std::to_string(headerLen) + ")");
  std::string text(headerLen, '\0');
  in.read(text.data(), std::streamsize(headerLen));
  if (uint64_t(in.gcount()) != headerLen)
    return dataLoss("'" + path + "': .npy header truncated");
  // The format: the header ends in a newline, padded with spaces so that
  // the data starts at a multiple of 64 bytes (16 before NumPy 1.14). Either
  // check failing means a wrong header_len field, which would shift the
  // data by as many bytes.
  if (headerLen == 0 || text.back() != '\n')
    return invalidArgument(
        "'" + path + "': the .npy header (header_len " +
        std::to_string(headerLen) +
        ") does not end in a newline; the header_len field is wrong or the "
        "header is damaged");
  if ((prefix + headerLen) % 16 != 0)
    return invalidArgument(
        "'" + path + "': header_len " + std::to_string(headerLen) +
        " puts the data at byte " + std::to_string(prefix + headerLen) +
        ", which is not a multiple of 64 (or 16, as older NumPy wrote); the "
        "header_len field is wrong");

  Header h;
  std::string err = HeaderParser(text).parse(h);
  if (!err.empty()) {
    std::string shown = text.substr(0, text.find_last_not_of(" \n") + 1);
    if (shown.size() > 200)
      shown = shown.substr(0, 200) + "...";
    return invalidArgument("'" + path + "': cannot parse the .npy header: " +
                           err + " (header: " + shown + ")");
  }
  int itemSize = 0;
  Decoder decode = decoderFor(h.descr, itemSize, err);
  if (!decode)
    return invalidArgument("'" + path + "': " + err);
  if (h.fortranOrder)
    return invalidArgument("'" + path +
                           "': fortran_order is True; only C-order arrays "
                           "are read (save with np.ascontiguousarray)");
  int64_t n = detail::checkedElementCount(h.shape);
  if (n < 0)
    return invalidArgument("'" + path + "': shape " + shapeString(h.shape) +
                           " has more than 2^31 elements");

  uint64_t available = fileSize - (prefix + headerLen);
  uint64_t needed = uint64_t(n) * uint64_t(itemSize);
  if (available < needed)
    return dataLoss("'" + path + "' holds " + std::to_string(available) +
                    " bytes of data, shape " + shapeString(h.shape) + " of " +
                    h.descr + " needs " + std::to_string(needed));
  if (available > needed)
    return invalidArgument(
        "'" + path + "' holds " + std::to_string(available) +
        " bytes of data, but shape " + shapeString(h.shape) + " of " + h.descr +
        " takes " + std::to_string(needed) + ": " +
        std::to_string(available - needed) +
        " bytes too many (the shape or descr field is wrong, or the file "
        "was appended to)");

  // Not Tensor(shape): numElements would overflow on e.g. (2^40, 2^40, 0).
  Tensor out(h.shape, std::vector<float>(size_t(n)));
  constexpr size_t kChunk = 1 << 16;
  std::vector<unsigned char> buf(kChunk * size_t(itemSize));
  for (size_t i = 0; i < size_t(n); i += kChunk) {
    size_t m = std::min(kChunk, size_t(n) - i);
    in.read(reinterpret_cast<char *>(buf.data()),
            std::streamsize(m * size_t(itemSize)));
    if (size_t(in.gcount()) != m * size_t(itemSize))
      return dataLoss("'" + path + "': read failed inside the data");
    for (size_t j = 0; j < m; ++j)
      out.data[i + j] = decode(&buf[j * size_t(itemSize)]);
  }
  return out;
}

Status writeNpy(const std::string &path, const Tensor &t) {
  return writeArray(path, t, "<f4", [](float v, unsigned char *p) {
    uint32_t bits = std::bit_cast<uint32_t>(v);
    for (int i = 0; i < 4; ++i)
      p[i] = (unsigned char)(bits >> (8 * i));
  });
}

Status writeNpy(const std::string &path, const SpikeTensor &t) {
  return writeArray(path, t, "|u1",
                    [](uint8_t v, unsigned char *p) { *p = v; });
}

} // namespace snnc
