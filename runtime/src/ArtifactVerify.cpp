//===- ArtifactVerify.cpp - Naming the field the verifier rejects ---------===//
#include "ArtifactVerify.h"

#include "snnc/schema/snnb_bfbs_generated.h"

#include <flatbuffers/reflection.h>
#include <flatbuffers/verifier.h>

namespace snnc::detail {
namespace {

using flatbuffers::Table;
using flatbuffers::Verifier;
using reflection::BaseType;

// Same limits as Program::fromBytes' verifier.
constexpr flatbuffers::uoffset_t kMaxDepth = 64, kMaxTables = 1u << 24;

class Walker {
public:
  Walker(const uint8_t *buf, size_t n, const reflection::Schema &schema)
      : buf_(buf), n_(n), v_(buf, n, kMaxDepth, kMaxTables), schema_(schema) {}

  std::string run() {
    if (n_ < 8)
      return "the buffer is shorter than a FlatBuffer header";
    flatbuffers::uoffset_t root = flatbuffers::ReadScalar<uint32_t>(buf_);
    if (root % 4 != 0 || root > n_ - 4)
      return "the root offset points outside the buffer";
    const auto *t = reinterpret_cast<const Table *>(buf_ + root);
    table(*schema_.root_table(), t, "Program");
    return why_;
  }

private:
  bool bad(const std::string &where, const std::string &what) {
    if (why_.empty())
      why_ = where + ": " + what;
    return false;
  }

  const reflection::Object &object(int index) const {
    return *schema_.objects()->Get(uint32_t(index));
  }

  bool table(const reflection::Object &obj, const Table *t,
             const std::string &where) {
    if (!t->VerifyTableStart(v_))
      return bad(where, "table header or vtable lies outside the buffer, or "
                        "tables nest too deep or too many");
    for (const reflection::Field *f : *obj.fields())
      if (!field(obj, *f, t, where + "." + f->name()->str()))
        return false;
    v_.EndTable();
    return true;
  }

  bool field(const reflection::Object &obj, const reflection::Field &f,
             const Table *t, const std::string &where) {
    const reflection::Type &type = *f.type();
    BaseType bt = type.base_type();
    const uint8_t *addr = t->GetAddressOf(f.offset());
    if (!addr) {
      if (f.required())
        return bad(where, "required field is missing");
      return true;
    }
    size_t size = flatbuffers::GetTypeSize(bt);
    if (bt <= BaseType::Double) // a scalar stored in the table
      return v_.VerifyAlignment(size_t(addr - buf_), size) &&
                     v_.Verify(size_t(addr - buf_), size)
                 ? true
                 : bad(where, "scalar lies outside the buffer or is "
                              "misaligned");
    if (bt == BaseType::Obj && object(type.index()).is_struct()) {
      const reflection::Object &s = object(type.index());
      return v_.VerifyAlignment(size_t(addr - buf_), size_t(s.minalign())) &&
                     v_.Verify(size_t(addr - buf_), size_t(s.bytesize()))
                 ? true
                 : bad(where, "struct lies outside the buffer");
    }
    if (!t->VerifyOffset(v_, f.offset()))
      return bad(where, "offset points outside the buffer");
    const uint8_t *target = addr + flatbuffers::ReadScalar<uint32_t>(addr);
    switch (bt) {
    case BaseType::String:
      return v_.VerifyString(
                 reinterpret_cast<const flatbuffers::String *>(target))
                 ? true
                 : bad(where, "string extends past the end of the buffer or "
                              "lacks its terminating zero");
    case BaseType::Obj:
      return table(object(type.index()),
                   reinterpret_cast<const Table *>(target), where);
    case BaseType::Union: {
      // The type tag is the field just before, named <field>_type.
      const reflection::Field *tag =
          obj.fields()->LookupByKey((f.name()->str() + "_type").c_str());
      const uint8_t *tagAddr = tag ? t->GetAddressOf(tag->offset()) : nullptr;
      if (tagAddr && !v_.Verify(size_t(tagAddr - buf_), 1))
        return bad(where + "_type", "scalar lies outside the buffer");
      uint8_t kind = tagAddr ? *tagAddr : 0;
      if (kind == 0) // NONE: nothing to check, as the generated verifier
        return true;
      const reflection::Enum &e = *schema_.enums()->Get(type.index());
      const reflection::EnumVal *val = e.values()->LookupByKey(kind);
      if (!val || !val->union_type() ||
          val->union_type()->base_type() != BaseType::Obj)
        return bad(where, "unknown union type " + std::to_string(kind));
      return table(object(val->union_type()->index()),
                   reinterpret_cast<const Table *>(target),
                   where + "<" + val->name()->str() + ">");
    }
    case BaseType::Vector:
      return vector(type, target, where);
    default:
      return bad(where, "field of a kind this schema does not use");
    }
  }

  bool vector(const reflection::Type &type, const uint8_t *vec,
              const std::string &where) {
    BaseType et = type.element();
    bool structs = et == BaseType::Obj && object(type.index()).is_struct();
    size_t elem = et == BaseType::Obj
                      ? (structs ? size_t(object(type.index()).bytesize()) : 4)
                  : et == BaseType::String ? 4
                                           : flatbuffers::GetTypeSize(et);
    if (!v_.VerifyVectorOrString(vec, elem))
      return bad(where, "vector extends past the end of the buffer");
    // Elements wider than 4 bytes must be aligned too (the length only is
    // checked above).
    if (elem > 4 && !structs &&
        !v_.VerifyAlignment(size_t(vec - buf_) + 4, elem))
      return bad(where, "vector elements are misaligned");
    if (et != BaseType::String && !(et == BaseType::Obj && !structs))
      return true;
    const auto *offsets =
        reinterpret_cast<const flatbuffers::Vector<flatbuffers::uoffset_t> *>(
            vec);
    for (uint32_t i = 0; i < offsets->size(); ++i) {
      std::string at = where + "[" + std::to_string(i) + "]";
      const uint8_t *slot = vec + 4 + 4 * size_t(i);
      if (!v_.VerifyOffset(size_t(slot - buf_)))
        return bad(at, "offset points outside the buffer");
      const uint8_t *target = slot + flatbuffers::ReadScalar<uint32_t>(slot);
      if (et == BaseType::String
              ? !v_.VerifyString(
                    reinterpret_cast<const flatbuffers::String *>(target))
              : !table(object(type.index()),
                       reinterpret_cast<const Table *>(target), at))
        return et == BaseType::String
                   ? bad(at, "string extends past the end of the buffer")
                   : false;
    }
    return true;
  }

  const uint8_t *buf_;
  const size_t n_;
  Verifier v_;
  const reflection::Schema &schema_;
  std::string why_;
};

} // namespace

std::string locateVerifierFailure(const uint8_t *buf, size_t n) {
  const reflection::Schema *schema =
      reflection::GetSchema(snnb::ProgramBinarySchema::data());
  Walker w(buf, n, *schema);
  return w.run();
}

} // namespace snnc::detail
