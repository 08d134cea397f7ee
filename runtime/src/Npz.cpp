//===- Npz.cpp - NumPy .npz archives (zip of .npy members)
//------------------===//
//
// Reads the zip central directory (so local headers that defer their sizes
// to a data descriptor, or numpy's forced ZIP64 local headers, need no
// special care), inflates deflated members with zlib, and decodes each
// member with the .npy reader through a private temporary file.
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/Npy.h"

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace snnc {
namespace {

uint64_t le(const std::vector<uint8_t> &b, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i)
    v = (v << 8) | b[at + size_t(i)];
  return v;
}

constexpr uint64_t kMaxMember = uint64_t(1) << 31;

} // namespace

StatusOr<std::map<std::string, Tensor>> readNpz(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return notFound("'" + path + "': no such file");
  std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  auto corrupt = [&](const std::string &what) {
    return dataLoss("'" + path + "': " + what + " (not a valid .npz archive)");
  };
  // End of central directory: the last "PK\5\6" within the final 64 KiB.
  if (b.size() < 22)
    return invalidArgument("'" + path + "' is not a .npz file (too short)");
  size_t eocd = std::string::npos;
  for (size_t i = b.size() - 22 + 1; i-- > 0 && b.size() - i <= 65557;)
    if (le(b, i, 4) == 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd == std::string::npos)
    return invalidArgument("'" + path +
                           "' is not a .npz file (no zip "
                           "directory)");
  uint64_t entries = le(b, eocd + 10, 2), cdSize = le(b, eocd + 12, 4),
           cdOffset = le(b, eocd + 16, 4);
  if (cdOffset + cdSize > b.size())
    return corrupt("central directory out of range");
  std::map<std::string, Tensor> out;
  size_t at = cdOffset;
  for (uint64_t e = 0; e < entries; ++e) {
    if (at + 46 > b.size() || le(b, at, 4) != 0x02014b50)
      return corrupt("bad central directory entry");
    uint64_t method = le(b, at + 10, 2), csize = le(b, at + 20, 4),
             usize = le(b, at + 24, 4), nameLen = le(b, at + 28, 2),
             extraLen = le(b, at + 30, 2), commentLen = le(b, at + 32, 2),
             local = le(b, at + 42, 4);
    if (at + 46 + nameLen + extraLen > b.size())
      return corrupt("entry name out of range");
    std::string name(b.begin() + long(at + 46),
                     b.begin() + long(at + 46 + nameLen));
    // ZIP64 sizes and offset, in the order the spec lists them.
    for (size_t x = at + 46 + nameLen; x + 4 <= at + 46 + nameLen + extraLen;) {
      uint64_t id = le(b, x, 2), len = le(b, x + 2, 2);
      size_t f = x + 4;
      if (id == 0x0001) {
        if (usize == 0xFFFFFFFF && f + 8 <= x + 4 + len)
          usize = le(b, f, 8), f += 8;
        if (csize == 0xFFFFFFFF && f + 8 <= x + 4 + len)
          csize = le(b, f, 8), f += 8;
        if (local == 0xFFFFFFFF && f + 8 <= x + 4 + len)
          local = le(b, f, 8);
      }
      x += 4 + len;
    }
    at += 46 + nameLen + extraLen + commentLen;
    if (local + 30 > b.size() || le(b, local, 4) != 0x04034b50)
      return corrupt("bad local header of '" + name + "'");
    uint64_t data = local + 30 + le(b, local + 26, 2) + le(b, local + 28, 2);
    if (data + csize > b.size() || usize > kMaxMember)
      return corrupt("member '" + name + "' out of range");
    std::vector<uint8_t> raw(usize);
    if (method == 0) {
      if (csize != usize)
        return corrupt("stored member '" + name + "' has inconsistent sizes");
      if (usize > 0) // an empty vector's data() may be null
        std::memcpy(raw.data(), b.data() + data, usize);
    } else if (method == 8) {
      z_stream z{};
      if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        return Status(StatusCode::kInternal, "zlib initialisation failed");
      z.next_in = b.data() + data;
      z.avail_in = uInt(csize);
      z.next_out = raw.data();
      z.avail_out = uInt(usize);
      int rc = inflate(&z, Z_FINISH);
      uint64_t produced = z.total_out;
      inflateEnd(&z);
      if (rc != Z_STREAM_END || produced != usize)
        return corrupt("member '" + name + "' does not inflate");
    } else {
      return invalidArgument(
          "'" + path + "': member '" + name + "' uses zip compression method " +
          std::to_string(method) + " (read: stored, deflate)");
    }
    // Decode with the .npy reader, through a file only this process uses.
    std::string tmp = (std::filesystem::temp_directory_path() /
                       ("snnc-npz-" + std::to_string(::getpid()) + "-" +
                        std::to_string(e) + ".npy"))
                          .string();
    {
      std::ofstream t(tmp, std::ios::binary | std::ios::trunc);
      t.write(reinterpret_cast<const char *>(raw.data()),
              std::streamsize(raw.size()));
      if (!t)
        return Status(StatusCode::kInternal, "cannot write " + tmp);
    }
    auto tensor = readNpy(tmp);
    std::remove(tmp.c_str());
    if (!tensor) {
      // Name the member, not the temporary file.
      std::string msg = tensor.status().message();
      for (size_t at; (at = msg.find("'" + tmp + "'")) != std::string::npos;)
        msg.replace(at, tmp.size() + 2, "the member");
      return Status(tensor.status().code(),
                    "'" + path + "', member '" + name + "': " + msg);
    }
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0)
      name.resize(name.size() - 4);
    out[name] = std::move(*tensor);
  }
  return out;
}

} // namespace snnc
