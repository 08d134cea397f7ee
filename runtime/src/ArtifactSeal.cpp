//===- ArtifactSeal.cpp - CRC-32 seal of .snnb files ----------------------===//
#include "snnc/runtime/ArtifactSeal.h"

#include <climits>
#include <cstring>
#include <zlib.h>

namespace snnc {
namespace {

constexpr char kTag[4] = {'S', 'N', 'B', 'S'};

} // namespace

uint32_t artifactCrc32(const uint8_t *data, size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes a uInt length: feed large buffers in pieces.
  while (n > 0) {
    uInt chunk = n > UINT_MAX / 2 ? UINT_MAX / 2 : uInt(n);
    crc = crc32(crc, data, chunk);
    data += chunk;
    n -= chunk;
  }
  return uint32_t(crc);
}

void sealArtifact(std::vector<uint8_t> &bytes) {
  uint32_t crc = artifactCrc32(bytes.data(), bytes.size());
  for (int k = 0; k < 4; ++k)
    bytes.push_back(uint8_t(crc >> (8 * k)));
  bytes.insert(bytes.end(), kTag, kTag + 4);
}

std::vector<uint8_t> sealedCopy(const uint8_t *data, size_t n) {
  std::vector<uint8_t> bytes(data, data + n);
  sealArtifact(bytes);
  return bytes;
}

SealCheck checkArtifactSeal(const uint8_t *data, size_t n) {
  SealCheck c;
  if (n < kArtifactSealBytes ||
      std::memcmp(data + n - 4, kTag, sizeof kTag) != 0)
    return c;
  c.payload = n - kArtifactSealBytes;
  const uint8_t *s = data + c.payload;
  c.stored = uint32_t(s[0]) | uint32_t(s[1]) << 8 | uint32_t(s[2]) << 16 |
             uint32_t(s[3]) << 24;
  c.computed = artifactCrc32(data, c.payload);
  c.kind = c.stored == c.computed ? SealCheck::kOk : SealCheck::kMismatch;
  return c;
}

} // namespace snnc
