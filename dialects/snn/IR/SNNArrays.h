//===- SNNArrays.h - Reading array parameters, inline or in blobs -*- C++
//-*-===//
//
// snn.sparse holds its synapse lists as ElementsAttr: inline dense arrays for
// small lists, MLIR resource blobs (dense_resource<...>) for large ones,
// which are read in place. These visit the values without materializing an
// APInt/APFloat per element for blobs.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_DIALECTS_SNN_IR_SNNARRAYS_H
#define SNNC_DIALECTS_SNN_IR_SNNARRAYS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>
#include <string>

namespace snnc::snn {

/// Calls fn(k, value) for every element of an integer array (i32 or i64 in
/// a blob; any width inline). Returns an empty string, or why the array
/// cannot be read; stops early when fn returns false.
template <typename Fn> std::string forEachInt(mlir::ElementsAttr a, Fn fn) {
  auto et = llvm::dyn_cast<mlir::IntegerType>(a.getElementType());
  if (!et)
    return "must hold integers";
  int64_t n = a.getNumElements();
  if (auto r = llvm::dyn_cast<mlir::DenseResourceElementsAttr>(a)) {
    mlir::AsmResourceBlob *blob = r.getRawHandle().getBlob();
    if (!blob)
      return "names resource blob '" + r.getRawHandle().getKey().str() +
             "', which the file does not hold";
    unsigned w = et.getWidth();
    if (w != 32 && w != 64)
      return "must be i32 or i64 in a resource blob";
    llvm::ArrayRef<char> raw = blob->getData();
    if (int64_t(raw.size()) < n * int64_t(w / 8))
      return "has a resource blob shorter than its type says";
    for (int64_t k = 0; k < n; ++k) {
      int64_t v;
      if (w == 32) {
        int32_t x;
        std::memcpy(&x, raw.data() + k * 4, 4);
        v = x;
      } else {
        std::memcpy(&v, raw.data() + k * 8, 8);
      }
      if (!fn(k, v))
        break;
    }
    return "";
  }
  auto d = llvm::dyn_cast<mlir::DenseIntElementsAttr>(a);
  if (!d)
    return "must be dense integers or a resource blob";
  int64_t k = 0;
  for (const llvm::APInt &v : d.getValues<llvm::APInt>())
    if (!fn(k++, v.getSExtValue()))
      break;
  return "";
}

/// The same for floating-point arrays (f32 in a blob; a splat visits one
/// element).
template <typename Fn> std::string forEachFloat(mlir::ElementsAttr a, Fn fn) {
  auto et = llvm::dyn_cast<mlir::FloatType>(a.getElementType());
  if (!et)
    return "must hold floats";
  if (auto r = llvm::dyn_cast<mlir::DenseResourceElementsAttr>(a)) {
    mlir::AsmResourceBlob *blob = r.getRawHandle().getBlob();
    if (!blob)
      return "names resource blob '" + r.getRawHandle().getKey().str() +
             "', which the file does not hold";
    if (!et.isF32())
      return "must be f32 in a resource blob";
    llvm::ArrayRef<char> raw = blob->getData();
    int64_t n = a.getNumElements();
    if (int64_t(raw.size()) < n * 4)
      return "has a resource blob shorter than its type says";
    for (int64_t k = 0; k < n; ++k) {
      float x;
      std::memcpy(&x, raw.data() + k * 4, 4);
      if (!fn(k, double(x)))
        break;
    }
    return "";
  }
  auto d = llvm::dyn_cast<mlir::DenseFPElementsAttr>(a);
  if (!d)
    return "must be dense floats or a resource blob";
  if (d.isSplat()) {
    fn(0, d.getSplatValue<llvm::APFloat>().convertToDouble());
    return "";
  }
  int64_t k = 0;
  for (const llvm::APFloat &v : d.getValues<llvm::APFloat>())
    if (!fn(k++, v.convertToDouble()))
      break;
  return "";
}

/// Elements an array holds (a splat counts once: it is one shared value).
inline int64_t storedCount(mlir::ElementsAttr a) {
  if (auto d = llvm::dyn_cast<mlir::DenseElementsAttr>(a); d && d.isSplat())
    return 1;
  return a.getNumElements();
}

} // namespace snnc::snn

#endif // SNNC_DIALECTS_SNN_IR_SNNARRAYS_H
