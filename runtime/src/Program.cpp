//===- Program.cpp - Loading and verifying .snnb artifacts
//------------------===//
//
// Two layers of checks: the FlatBuffers verifier (every offset inside the
// buffer), then the meaning (every index in range, every array as long as
// its population or kernel says). After both, engines index without checks.
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/Program.h"

#include "ArtifactVerify.h"
#include "MappingChecks.h"
#include "ProgramChecks.h"
#include "snnc/runtime/ArtifactSeal.h"
#include "snnc/runtime/Tensor.h"
#include "snnc/schema/snnb_generated.h"

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <unistd.h>

namespace snnc {
namespace {

std::string str(const flatbuffers::String *s) {
  return s ? s->str() : std::string();
}

std::vector<int64_t> shapeOf(const flatbuffers::Vector<int64_t> *v) {
  return v ? std::vector<int64_t>(v->begin(), v->end())
           : std::vector<int64_t>();
}

// Element count of an untrusted shape: -1 for a negative dimension or a
// product beyond 2^40 (which no population or kernel can reach), so that a
// corrupt file never overflows the arithmetic.
int64_t checkedElements(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d > 0 && n > (int64_t(1) << 40) / d))
      return -1;
    n *= d;
  }
  return n;
}

class Checker {
public:
  Checker(const snnb::Program &p, const std::string &origin, uint64_t budget)
      : p(p), origin(origin), budget(budget) {}
  Status run();
  /// Sum of the Procedural projections' synapse arrays plus the largest
  /// (held twice while converted); 0 without any.
  uint64_t expansionEstimate() const {
    return proceduralBytes ? proceduralBytes + proceduralLargest : 0;
  }

private:
  Status fail(const std::string &what) {
    return dataLoss(origin + ": " + what + " (the artifact is corrupt or " +
                    "was written by an incompatible snnc)");
  }
  std::string popLabel(uint32_t i) const {
    return "population " + std::to_string(i) + " ('" +
           str(p.populations()->Get(i)->name()) + "')";
  }
  template <typename V>
  Status perNeuron(const V *v, uint32_t size, const std::string &where,
                   const char *field) {
    if (v && v->size() > 1 && v->size() != size)
      return fail(where + ": '" + field + "' has " + std::to_string(v->size()) +
                  " values, expected 1 or " + std::to_string(size));
    return Status::ok();
  }
  /// NaN or +-inf in a weight or parameter would run silently with
  /// meaningless results; snnc never writes one.
  Status finite(const flatbuffers::Vector<float> *v, const std::string &where,
                const std::string &field) {
    if (v)
      for (uint32_t k = 0; k < v->size(); ++k)
        if (!std::isfinite(v->Get(k)))
          return fail(where + ": '" + field + "'[" + std::to_string(k) +
                      "] is " + floatString(v->Get(k)) +
                      "; every weight and parameter must be finite");
    return Status::ok();
  }
  static std::string floatString(float x) {
    return std::isnan(x) ? "nan" : x > 0 ? "inf" : "-inf";
  }
  Status population(uint32_t i);
  Status projection(uint32_t i);
  using Dims = std::vector<int64_t>;
  Status window(const std::string &where, const Dims &in, const Dims &out,
                const Dims &kernel, const Dims &stride, const Dims &padding,
                const Dims &dilation, int64_t outC);
  Status ports(const flatbuffers::Vector<flatbuffers::Offset<snnb::Port>> *v,
               bool inputs);
  Status alignment();
  Status expansionBudget() const;

  const snnb::Program &p;
  const std::string &origin;
  const uint64_t budget; ///< bytes for expanding Procedural projections
  uint64_t poissonTableEntries = 0; ///< over all PoissonSource populations
  uint64_t proceduralBytes = 0, proceduralLargest = 0;
};

Status Checker::population(uint32_t i) {
  const snnb::Population *pop = p.populations()->Get(i);
  std::string where = popLabel(i);
  if (!pop->name() || pop->name()->size() == 0)
    return fail("population " + std::to_string(i) + " has no name");
  auto shape = shapeOf(pop->shape());
  for (int64_t d : shape)
    if (d < 1 || d > (int64_t(1) << 31))
      return fail(where + ": shape " + shapeString(shape) + " is invalid");
  if (shape.empty() || checkedElements(shape) != int64_t(pop->size()) ||
      pop->size() == 0)
    return fail(where + ": size " + std::to_string(pop->size()) +
                " does not match shape " + shapeString(shape));
  if (pop->kind() > snnb::NeuronKind::MAX)
    return fail(where + ": unknown neuron kind");
  uint32_t n = pop->size();
  Status s;
#define SNNC_CHECK_FIELD(F)                                                    \
  if (!(s = perNeuron(pop->F(), n, where, #F)) ||                              \
      !(s = finite(pop->F(), where, #F)))                                      \
    return s;
  SNNC_CHECK_FIELD(alpha)
  SNNC_CHECK_FIELD(beta)
  SNNC_CHECK_FIELD(gain_syn)
  SNNC_CHECK_FIELD(gain_mem)
  SNNC_CHECK_FIELD(gain_direct)
  SNNC_CHECK_FIELD(leak)
  SNNC_CHECK_FIELD(bias)
  SNNC_CHECK_FIELD(first_bias)
  if (pop->first_bias() && p.mode() == snnb::NumericMode::Fixed)
    return fail(where + ": field 'first_bias' (the first-step bias rule) is "
                        "float-mode only; fixed-mode programs have no such "
                        "rule");
  if (pop->first_bias() && p.schema_version() < 4)
    return fail(where +
                ": field 'first_bias' needs schema version 4, the file has "
                "version " +
                std::to_string(p.schema_version()));
  SNNC_CHECK_FIELD(v_threshold)
  SNNC_CHECK_FIELD(v_reset)
  SNNC_CHECK_FIELD(v_init)
#undef SNNC_CHECK_FIELD
  if (pop->receptors())
    for (uint32_t r = 0; r < pop->receptors()->size(); ++r) {
      const snnb::Receptor *rc = pop->receptors()->Get(r);
      std::string field = "receptors[" + std::to_string(r) + "].";
      if (!(s = finite(rc->decay(), where, field + "decay")) ||
          !(s = finite(rc->gain(), where, field + "gain")) ||
          !(s = finite(rc->reversal(), where, field + "reversal")) ||
          !(s = finite(rc->gain_rise(), where, field + "gain_rise")) ||
          !(s = finite(rc->rise(), where, field + "rise")))
        return s;
    }
  if (!(s = check::receptors(p, *pop, where, origin)))
    return s;
  if (!(s = check::populationRules(p, *pop, where, origin)))
    return s;
  if (!(s = check::poissonSource(p, *pop, where, origin, poissonTableEntries)))
    return s;
  if (p.mode() == snnb::NumericMode::Fixed) {
    const snnb::FixedNeuron *f = pop->fixed();
    if (!f)
      return fail(where + ": fixed mode but no fixed-point parameters");
    if (f->state_bits() < 8 || f->state_bits() > 32)
      return fail(where + ": state_bits " + std::to_string(f->state_bits()) +
                  " outside 8..32");
    if (f->frac_bits() > 30)
      return fail(where + ": frac_bits " + std::to_string(f->frac_bits()) +
                  " exceeds 30");
    for (auto *v : {f->decay_u(), f->decay_v()})
      if (v)
        for (uint16_t d : *v)
          if (d > 4096)
            return fail(where + ": decay " + std::to_string(d) +
                        " exceeds 4096 (a 12-bit fraction)");
    if (!(s = perNeuron(f->decay_u(), n, where, "fixed.decay_u")) ||
        !(s = perNeuron(f->decay_v(), n, where, "fixed.decay_v")) ||
        !(s = perNeuron(f->u_bias(), n, where, "fixed.u_bias")) ||
        !(s = perNeuron(f->v_bias(), n, where, "fixed.v_bias")) ||
        !(s = perNeuron(f->v_init(), n, where, "fixed.v_init")) ||
        !(s = perNeuron(f->v_threshold(), n, where, "fixed.v_threshold")) ||
        !(s = perNeuron(f->v_reset(), n, where, "fixed.v_reset")))
      return s;
  }
  return Status::ok();
}

Status Checker::window(const std::string &where, const Dims &in,
                       const Dims &out, const Dims &kernel, const Dims &stride,
                       const Dims &padding, const Dims &dilation,
                       int64_t outC) {
  if (in.size() != 3 || out.size() != 3)
    return fail(where + ": in_shape and out_shape must be [C, H, W]");
  for (const Dims *v : {&kernel, &stride, &padding, &dilation})
    if (v->size() != 2)
      return fail(where + ": kernel, stride, padding and dilation need two "
                          "values each");
  if (out[0] != outC)
    return fail(where + ": out_shape has " + std::to_string(out[0]) +
                " channels, expected " + std::to_string(outC));
  for (int k = 0; k < 2; ++k) {
    int64_t kk = kernel[k], s = stride[k], pd = padding[k], d = dilation[k],
            n = in[k + 1];
    if (kk < 1 || s < 1 || pd < 0 || d < 1 || n < 1 || kk > 4096 || s > 4096 ||
        pd > 4096 || d > 4096 || n > (int64_t(1) << 24))
      return fail(where + ": kernel, stride, padding or dilation out of range");
    int64_t span = d * (kk - 1) + 1, padded = n + 2 * pd;
    int64_t e = padded < span ? 0 : (padded - span) / s + 1;
    if (e != out[k + 1])
      return fail(where + ": out_shape does not follow from in_shape and the "
                          "window parameters");
  }
  return Status::ok();
}

Status Checker::projection(uint32_t i) {
  const snnb::Projection *pr = p.projections()->Get(i);
  uint32_t npops = p.populations()->size();
  std::string where =
      "projection " + std::to_string(i) + " ('" + str(pr->name()) + "')";
  if (pr->source() >= npops || pr->target() >= npops)
    return fail(where + ": source or target index out of range");
  const snnb::Population *src = p.populations()->Get(pr->source());
  const snnb::Population *tgt = p.populations()->Get(pr->target());
  if (tgt->kind() == snnb::NeuronKind::Source)
    return fail(where + ": targets a Source population");
  if (tgt->kind() == snnb::NeuronKind::PoissonSource)
    return fail(where + ": targets PoissonSource population " +
                std::to_string(pr->target()) + " ('" + str(tgt->name()) +
                "'), which takes no input");
  if (!pr->recurrent() && pr->source() >= pr->target())
    return fail(where + ": a non-recurrent projection must go from an "
                        "earlier population to a later one");
  const uint32_t channels =
      tgt->kind() == snnb::NeuronKind::ReceptorLIF && tgt->receptors()
          ? tgt->receptors()->size()
          : 1;
  if (pr->receptor() >= channels)
    return fail(where + ": receptor " + std::to_string(pr->receptor()) +
                " does not exist; the target has " + std::to_string(channels));
  uint64_t ns = src->size(), nt = tgt->size(), weights = 0;
  // The verifier accepts a union type whose value is absent.
  if (!pr->connectivity())
    return fail(where + ": no connectivity");
  switch (pr->connectivity_type()) {
  case snnb::Connectivity::Dense: {
    auto *d = pr->connectivity_as_Dense();
    weights = d->weights() ? d->weights()->size() : 0;
    if (Status s = finite(d->weights(), where, "weights"); !s)
      return s;
    if (weights != ns * nt)
      return fail(where + ": dense weights hold " + std::to_string(weights) +
                  " values, source " + std::to_string(ns) + " x target " +
                  std::to_string(nt) + " needed");
    break;
  }
  case snnb::Connectivity::Sparse: {
    auto *sp = pr->connectivity_as_Sparse();
    if (!sp->row_start() || !sp->targets() || !sp->weights() ||
        sp->row_start()->size() != ns + 1)
      return fail(where + ": sparse rows need source size + 1 offsets");
    uint32_t prev = 0;
    for (uint32_t r : *sp->row_start()) {
      if (r < prev)
        return fail(where + ": sparse row offsets decrease");
      prev = r;
    }
    weights = sp->weights()->size();
    if (Status s = finite(sp->weights(), where, "weights"); !s)
      return s;
    if (sp->row_start()->Get(0) != 0 || prev != sp->targets()->size() ||
        (prev != weights && weights != 1))
      return fail(where + ": sparse offsets, targets and weights disagree");
    for (uint32_t t : *sp->targets())
      if (t >= nt)
        return fail(where + ": sparse target " + std::to_string(t) +
                    " out of range");
    break;
  }
  case snnb::Connectivity::Conv: {
    auto *c = pr->connectivity_as_Conv();
    auto *ks = c->kernel_shape();
    if (!ks || ks->size() != 4 || !c->kernel())
      return fail(where +
                  ": kernel_shape must be [C_out, C_in/groups, kh, kw]");
    for (int64_t d : *ks)
      if (d < 1 || d > 65536)
        return fail(where + ": kernel_shape out of range");
    int64_t g = c->groups();
    weights = c->kernel()->size();
    if (Status s = finite(c->kernel(), where, "kernel"); !s)
      return s;
    if (int64_t(weights) != checkedElements(shapeOf(ks)))
      return fail(where + ": kernel size does not match kernel_shape");
    if (g < 1 || g > 65536 || ks->Get(0) % g != 0 || !c->in_shape() ||
        c->in_shape()->size() != 3 || c->in_shape()->Get(0) != ks->Get(1) * g)
      return fail(where + ": channels and groups disagree");
    Status s =
        window(where, shapeOf(c->in_shape()), shapeOf(c->out_shape()),
               {ks->Get(2), ks->Get(3)}, shapeOf(c->stride()),
               shapeOf(c->padding()), shapeOf(c->dilation()), ks->Get(0));
    if (!s)
      return s;
    if (checkedElements(shapeOf(c->in_shape())) != int64_t(ns) ||
        checkedElements(shapeOf(c->out_shape())) != int64_t(nt))
      return fail(where + ": in/out shapes do not match the populations");
    break;
  }
  case snnb::Connectivity::Pool: {
    auto *pl = pr->connectivity_as_Pool();
    if (!std::isfinite(pl->scale()))
      return fail(where + ": pool 'scale' is " + floatString(pl->scale()) +
                  "; every weight and parameter must be finite");
    if (!pl->in_shape() || pl->in_shape()->size() != 3)
      return fail(where + ": in_shape must be [C, H, W]");
    Status s = window(where, shapeOf(pl->in_shape()), shapeOf(pl->out_shape()),
                      shapeOf(pl->kernel_size()), shapeOf(pl->stride()),
                      shapeOf(pl->padding()), {1, 1}, pl->in_shape()->Get(0));
    if (!s)
      return s;
    if (checkedElements(shapeOf(pl->in_shape())) != int64_t(ns) ||
        checkedElements(shapeOf(pl->out_shape())) != int64_t(nt))
      return fail(where + ": in/out shapes do not match the populations");
    break;
  }
  case snnb::Connectivity::Procedural:
    if (Status s = check::proceduralProjection(
            p, *pr, where, origin, proceduralBytes, proceduralLargest);
        !s)
      return s;
    break;
  default:
    return fail(where + ": no connectivity");
  }
  if (auto *d = pr->delay_steps()) {
    if (d->size() > 1 && d->size() != ns)
      return fail(where + ": delay_steps needs 1 or source-size values");
    for (uint32_t v : *d)
      if (v > check::kMaxDelaySteps)
        return fail(where + ": delay of " + std::to_string(v) +
                    " steps exceeds " + std::to_string(check::kMaxDelaySteps));
  }
  // After delay_steps, which the per-synapse bound adds in.
  if (auto *sp = pr->connectivity_as_Sparse())
    if (Status s = check::sparseDelays(p, *pr, *sp, where, origin); !s)
      return s;
  if (p.mode() == snnb::NumericMode::Fixed) {
    const snnb::FixedWeights *f = pr->fixed();
    bool pool = pr->connectivity_type() == snnb::Connectivity::Pool;
    if (!f)
      return fail(where + ": fixed mode but no fixed-point weights");
    size_t have = f->mantissas() ? f->mantissas()->size() : 0;
    if (have != (pool ? 0 : weights))
      return fail(where + ": fixed mode needs one mantissa per weight" +
                  std::string(pool ? " (none for a pool)" : ""));
    if (f->weight_bits() < 1 || f->weight_bits() > 16 || f->exponent() > 24)
      return fail(where + ": weight_bits or exponent out of range");
    int32_t lim = int32_t(1) << (f->weight_bits() - 1);
    if (f->mantissas())
      for (int16_t m : *f->mantissas())
        if (m >= lim || m < -lim)
          return fail(where + ": a mantissa does not fit in " +
                      std::to_string(f->weight_bits()) + " bits");
  }
  return Status::ok();
}

Status
Checker::ports(const flatbuffers::Vector<flatbuffers::Offset<snnb::Port>> *v,
               bool inputs) {
  if (!v)
    return Status::ok();
  for (uint32_t i = 0; i < v->size(); ++i) {
    const snnb::Port *port = v->Get(i);
    std::string where = std::string(inputs ? "input" : "output") + " '" +
                        str(port->name()) + "'";
    if (!port->name() || port->name()->size() == 0)
      return fail(std::string(inputs ? "an input" : "an output") +
                  " port has no name");
    if (port->population() >= p.populations()->size())
      return fail(where + ": population index out of range");
    const snnb::Population *pop = p.populations()->Get(port->population());
    if (inputs && pop->kind() != snnb::NeuronKind::Source)
      return fail(where + ": does not name a Source population");
    if (checkedElements(shapeOf(port->shape())) != int64_t(pop->size()))
      return fail(where + ": shape does not match its population");
  }
  return Status::ok();
}

// The FlatBuffers verifier checks the alignment of a vector's length, not
// of 8-byte elements: a corrupt offset can leave a [long] vector 4-byte
// aligned, and reading it would be undefined behaviour.
Status Checker::alignment() {
  auto ok = [](const flatbuffers::Vector<int64_t> *v) {
    return !v || reinterpret_cast<uintptr_t>(v->data()) % alignof(int64_t) == 0;
  };
  for (const snnb::Population *pop : *p.populations())
    if (!ok(pop->shape()))
      return fail("a population's shape is misaligned");
  if (p.projections())
    for (const snnb::Projection *pr : *p.projections()) {
      if (auto *c = pr->connectivity_as_Conv())
        for (auto *v : {c->in_shape(), c->out_shape(), c->kernel_shape(),
                        c->stride(), c->padding(), c->dilation()})
          if (!ok(v))
            return fail("a convolution's dimensions are misaligned");
      if (auto *pl = pr->connectivity_as_Pool())
        for (auto *v : {pl->in_shape(), pl->out_shape(), pl->kernel_size(),
                        pl->stride(), pl->padding()})
          if (!ok(v))
            return fail("a pool's dimensions are misaligned");
    }
  for (auto *ports : {p.inputs(), p.outputs()})
    if (ports)
      for (const snnb::Port *port : *ports)
        if (!ok(port->shape()))
          return fail("a port's shape is misaligned");
  return Status::ok();
}

Status Checker::run() {
  if (p.schema_version() < kSnnbOldestSchemaVersion ||
      p.schema_version() > kSnnbSchemaVersion)
    return Status(StatusCode::kUnimplemented,
                  origin + ": schema version " +
                      std::to_string(p.schema_version()) +
                      " is not supported by this runtime (it reads versions " +
                      std::to_string(kSnnbOldestSchemaVersion) + " to " +
                      std::to_string(kSnnbSchemaVersion) +
                      "); recompile the network with a matching snnc");
  if (!p.populations() || p.populations()->size() == 0)
    return fail("no populations");
  const snnb::Discretization *d = p.discretization();
  if (!d || !(d->dt() > 0) || !std::isfinite(d->dt()))
    return fail("missing or invalid discretization (dt must be > 0)");
  if (p.mode() > snnb::NumericMode::MAX)
    return fail("unknown numeric mode");
  for (auto [set, name] :
       {std::pair{d->multi_spike(), "multi_spike"},
        std::pair{d->synapse_input_decays(), "synapse_input_decays"},
        std::pair{d->if_lower_clamp(), "if_lower_clamp"}}) {
    if (!set)
      continue;
    if (p.schema_version() < 4)
      return fail(std::string("discretization: field '") + name +
                  "' needs schema version 4, the file has version " +
                  std::to_string(p.schema_version()));
    if (d->reset_timing() != snnb::ResetTiming::SameStep)
      return fail(std::string("discretization.") + name +
                  " needs reset_timing SameStep");
    if (p.mode() == snnb::NumericMode::Fixed)
      return fail(std::string("discretization.") + name +
                  " is a float-mode rule with no fixed-point form");
    if (d->state_frac_bits())
      return fail(std::string("discretization.") + name +
                  " and state_frac_bits exclude each other");
  }
  if (d->state_frac_bits() && p.schema_version() < 4)
    return fail("discretization: field 'state_frac_bits' needs schema "
                "version 4, the file has version " +
                std::to_string(p.schema_version()));
  if (d->state_frac_bits() > 20)
    return fail("discretization.state_frac_bits is " +
                std::to_string(d->state_frac_bits()) +
                "; integer states take 1 to 20 fractional bits (0: float)");
  if (d->state_frac_bits() && d->reset_timing() != snnb::ResetTiming::SameStep)
    return fail("discretization.state_frac_bits (lava-dl's integer states) "
                "needs reset_timing SameStep");
  if (d->state_frac_bits() && p.mode() == snnb::NumericMode::Fixed)
    return fail("discretization.state_frac_bits (lava-dl's integer states) "
                "is a float-mode rule; fixed-mode programs have their own "
                "integer states");
  if (Status s = alignment(); !s)
    return s;
  for (uint32_t i = 0; i < p.populations()->size(); ++i)
    if (Status s = population(i); !s)
      return s;
  if (p.projections())
    for (uint32_t i = 0; i < p.projections()->size(); ++i)
      if (Status s = projection(i); !s)
        return s;
  if (Status s = ports(p.inputs(), true); !s)
    return s;
  if (Status s = ports(p.outputs(), false); !s)
    return s;
  if (Status s = check::mappingTable(p, origin); !s)
    return s;
  return expansionBudget();
}

// Before any engine allocates: the estimate counts every expanded synapse
// array (the engine's compact rows take at most as many bytes) plus the
// largest one again, since each is converted while its rows are built.
Status Checker::expansionBudget() const {
  const uint64_t need = expansionEstimate();
  if (need <= budget)
    return Status::ok();
  return invalidArgument(
      origin + ": expanding the Procedural projections needs about " +
      std::to_string(need) + " bytes (" + std::to_string(proceduralBytes) +
      " for their synapses, plus " + std::to_string(proceduralLargest) +
      " while the largest is converted) but the memory budget is " +
      std::to_string(budget) +
      " bytes; raise LoadOptions::expansionBudgetBytes, or make the rules "
      "sparser");
}

std::vector<PortInfo>
portInfos(const flatbuffers::Vector<flatbuffers::Offset<snnb::Port>> *v) {
  std::vector<PortInfo> out;
  if (!v)
    return out;
  for (const snnb::Port *p : *v) {
    PortInfo info;
    info.name = str(p->name());
    info.population = p->population();
    info.shape = shapeOf(p->shape());
    info.size = numElements(info.shape);
    out.push_back(std::move(info));
  }
  return out;
}

std::string hex32(uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  std::string s = "0x";
  for (int k = 7; k >= 0; --k)
    s += digits[(v >> (4 * k)) & 15];
  return s;
}

} // namespace

StatusOr<std::shared_ptr<const Program>>
Program::load(const std::string &path, const LoadOptions &options) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return notFound(path + ": cannot open (no such file or not readable)");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad())
    return dataLoss(path + ": read error");
  return fromBytes(std::move(bytes), path, options);
}

uint64_t defaultExpansionBudget() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0)
    return std::numeric_limits<uint64_t>::max();
  return uint64_t(pages) / 4 * 3 * uint64_t(page);
}

StatusOr<std::shared_ptr<const Program>>
Program::fromBytes(std::vector<uint8_t> bytes, std::string origin,
                   const LoadOptions &options) {
  if (bytes.size() < 8 || !flatbuffers::BufferHasIdentifier(
                              bytes.data(), snnb::ProgramIdentifier()))
    return invalidArgument(origin + ": not a .snnb artifact (no 'SNNB' "
                                    "file identifier); compile the network "
                                    "with snnc -o FILE.snnb");
  // The seal first: a damaged file gets the plain answer, whatever else is
  // wrong with it.
  SealCheck seal = checkArtifactSeal(bytes.data(), bytes.size());
  if (seal.kind == SealCheck::kMissing)
    return dataLoss(origin + ": no integrity seal at the end of the file: it "
                             "is truncated, or was written by an snnc older "
                             "than schema version 4; recompile the network");
  if (seal.kind == SealCheck::kMismatch)
    return dataLoss(origin + ": checksum mismatch (stored " +
                    hex32(seal.stored) + ", computed " + hex32(seal.computed) +
                    "): the file was modified or damaged after snnc wrote "
                    "it; recompile the network or copy the file again");
  flatbuffers::Verifier verifier(bytes.data(), seal.payload,
                                 /*max_depth=*/64, /*max_tables=*/1u << 24);
  if (!snnb::VerifyProgramBuffer(verifier)) {
    std::string where =
        detail::locateVerifierFailure(bytes.data(), seal.payload);
    return dataLoss(origin + ": the artifact fails verification" +
                    (where.empty() ? std::string() : " at " + where) +
                    " (its seal matches, so it was written so: not by snnc, "
                    "or by a broken one)");
  }
  std::shared_ptr<Program> p(new Program());
  p->bytes_ = std::move(bytes);
  p->root_ = snnb::GetProgram(p->bytes_.data());
  p->origin_ = std::move(origin);
  p->expansionBudget_ = options.expansionBudgetBytes
                            ? options.expansionBudgetBytes
                            : defaultExpansionBudget();
  Checker checker(*p->root_, p->origin_, p->expansionBudget_);
  if (Status s = checker.run(); !s)
    return s;
  p->expansionEstimate_ = checker.expansionEstimate();
  p->inputs_ = portInfos(p->root_->inputs());
  p->outputs_ = portInfos(p->root_->outputs());
  return std::shared_ptr<const Program>(std::move(p));
}

double Program::dt() const { return root_->discretization()->dt(); }

std::string Program::profile() const {
  return str(root_->discretization()->profile());
}

const PortInfo *Program::findInput(std::string_view name) const {
  for (const PortInfo &p : inputs_)
    if (p.name == name)
      return &p;
  return nullptr;
}

const PortInfo *Program::findOutput(std::string_view name) const {
  for (const PortInfo &p : outputs_)
    if (p.name == name)
      return &p;
  return nullptr;
}

int64_t Program::findPopulation(std::string_view name) const {
  const auto *pops = root_->populations();
  for (uint32_t i = 0; i < pops->size(); ++i)
    if (pops->Get(i)->name()->string_view() == name)
      return i;
  return -1;
}

procedural::ConnectSpec Program::connectSpec(uint32_t projection) const {
  return check::connectSpec(*root_, *root_->projections()->Get(projection));
}

std::vector<std::string> Program::populationNames() const {
  std::vector<std::string> out;
  for (const snnb::Population *p : *root_->populations())
    out.push_back(p->name()->str());
  return out;
}

} // namespace snnc
