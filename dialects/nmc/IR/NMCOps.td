//===- NMCOps.td - The nmc dialect: a network as cores execute it ---------===//
//
// The lowering target of a discretized snn.network: populations and
// projections with their per-step numeric form (what the artifact holds),
// and, once mapped onto a target, chips holding cores and routing entries.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_NMC_OPS_TD
#define SNNC_NMC_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributes.td"

def NMC_Dialect : Dialect {
  let name = "nmc";
  let cppNamespace = "::snnc::nmc";
  let summary = "A spiking network as neuromorphic cores execute it";
  let description = [{
    The `nmc` dialect is the one lowering target of a discretized
    `snn.network` (the `snn-to-nmc` pass) and what the artifact writer
    serializes. An `nmc.program` holds, in evaluation order, the
    populations (`nmc.population`: a neuron kind, a size and the per-step
    constants of every neuron), the projections between them
    (`nmc.projection`: dense, sparse CSR, convolution and pooling kernels,
    or a procedural connection rule, with delays in steps), and the
    program's ports (`nmc.input`, `nmc.output`). Values are per step:
    decays, gains and thresholds, not time constants; every array is one
    value shared by all neurons or one per neuron.

    Mapping onto a target adds one `nmc.mapping` op: the target it was made
    for and, per chip of the target's mesh, an `nmc.chip` holding the
    chip's `nmc.core`s (the neuron ranges they hold and what they use of
    the core's memories) and its router's `nmc.route` entries (SpiNNaker
    style key/mask multicast). The `nmc-partition`, `nmc-place`,
    `nmc-route` and `nmc-check` passes build it step by step; each can be
    run on its own with `snn-opt`.

    Populations and projections refer to populations by their position in
    the program (`source`, `target`, `population`), as the artifact does.
    Large arrays (synapse lists, weights) are resource blobs
    (`dense_resource<...>`), so that 10^8 synapses are neither hashed nor
    copied by the IR.
  }];
}

class NMC_Op<string mnemonic, list<Trait> traits = []>
    : Op<NMC_Dialect, mnemonic, traits>;

def NMC_ProgramOp : NMC_Op<"program", [NoTerminator, SingleBlock,
    IsolatedFromAbove]> {
  let summary = "A network as populations, projections and ports";
  let description = [{
    `network` is the `snn.network` it was lowered from. `discretization`
    records how continuous time became steps: `profile` (string), `dt`
    (seconds, f64) and the profile's rules as booleans (`reset_subtract`,
    `reset_next_step`, `reset_carry`, `greater_equal`, `synapse_first`,
    and where set `multi_spike`, `synapse_input_decays`, `if_lower_clamp`,
    `delta_form`) and
    `projection_delay` (i64). The body holds `nmc.population`,
    `nmc.projection`, `nmc.input`, `nmc.output` and at most one
    `nmc.mapping`; populations are numbered in the order they appear.

    ```mlir
    nmc.program "rsnn" {discretization = {dt = 1.0e-04 : f64, profile = "exact", ...}} {
      nmc.population "input" {kind = "Source", shape = array<i64: 4>, params = {}}
      nmc.population "lif" {kind = "LIF", shape = array<i64: 8>, params = {beta = dense<0.99> : tensor<1xf32>, ...}}
      nmc.projection "w_in" {source = 0, target = 1, kind = "dense", weights = dense<...> : tensor<32xf32>}
      nmc.input "input" {population = 0, shape = array<i64: 4>}
      nmc.output "out" {population = 1, shape = array<i64: 8>}
    }
    ```
  }];
  let arguments = (ins StrAttr:$network, DictionaryAttr:$discretization);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$network attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
}

def NMC_PopulationOp : NMC_Op<"population"> {
  let summary = "Neurons of one kind with their per-step constants";
  let description = [{
    `kind` is one of `Source`, `Relay`, `LIF`, `CubaLIF`, `IF`, `LI`,
    `CubaLI`, `Integrator`, `Threshold`, `ReceptorLIF`, `PoissonSource`;
    `shape` the population's shape (its size is the product). `params`
    maps each per-step constant the artifact defines for the kind
    (`alpha`, `beta`, `gain_syn`, `gain_mem`, `gain_direct`, `leak`,
    `bias`, `v_threshold`, `v_reset`, `v_init`, `first_bias`, and for the
    delta form `delta_k_mem`, `delta_k_syn`, `delta_r`, `delta_w_in`,
    `delta_v_leak`, `delta_i_leak`) to an f32 array of one
    value or one per neuron; a constant left out takes its default
    (docs/artifact.md). `reset_subtract` is a spiking population's own
    reset rule where it differs from the program's. `ReceptorLIF` populations add `receptors` (an
    array of dictionaries: `name`, `conductance`, `decay`, `gain`, for
    conductances `reversal`, and `delta = true` for a delta receptor, which
    reports name: its decay is 0 and its gain beta) and `refractory_steps`; `PoissonSource`
    populations add `rate` (Hz, one or one per neuron) and `seed`.
  }];
  let arguments = (ins StrAttr:$sym_name, StrAttr:$kind,
      DenseI64ArrayAttr:$shape, DictionaryAttr:$params,
      OptionalAttr<ArrayAttr>:$receptors,
      DefaultValuedAttr<I64Attr, "0">:$refractory_steps,
      OptionalAttr<ElementsAttr>:$rate,
      DefaultValuedAttr<I64Attr, "0">:$seed,
      OptionalAttr<BoolAttr>:$reset_subtract);
  let assemblyFormat = "$sym_name attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getSize();
  }];
}

def NMC_ProjectionOp : NMC_Op<"projection"> {
  let summary = "Synapses from one population to another";
  let description = [{
    `kind` is `dense` (`weights`: [pre][post], row-major), `sparse`
    (`row_start`: one more than the source's size, `targets` and `weights`:
    CSR by source neuron, one weight shared by all synapses or one each;
    optional `synapse_delays`: extra steps per
    synapse, i16), `conv` or `pool` (the kernel in `weights` and the
    geometry in `conv`: `in_shape`, `out_shape`, `kernel_shape`, `stride`,
    `padding`, `dilation`, `groups`, `pool_scale`), or `procedural` (the
    connection rule in `rule`, expanded when the program is loaded;
    `expected_synapses` is its count, or its mean for fixed probability).
    `delay_steps` holds one delay or one per source neuron; `receptor` the
    target's receptor index (ReceptorLIF targets); `recurrent` marks a
    projection that closes a cycle (it reads the previous step), and
    `previous_step` one that always reads its source's previous step.
  }];
  let arguments = (ins StrAttr:$sym_name, I64Attr:$source, I64Attr:$target,
      StrAttr:$kind, OptionalAttr<ElementsAttr>:$weights,
      OptionalAttr<ElementsAttr>:$row_start,
      OptionalAttr<ElementsAttr>:$targets,
      OptionalAttr<ElementsAttr>:$synapse_delays,
      OptionalAttr<DictionaryAttr>:$conv,
      OptionalAttr<DictionaryAttr>:$rule,
      DenseI64ArrayAttr:$delay_steps,
      DefaultValuedAttr<I64Attr, "0">:$receptor,
      UnitAttr:$recurrent, UnitAttr:$previous_step,
      DefaultValuedAttr<I64Attr, "0">:$expected_synapses);
  let assemblyFormat = "$sym_name attr-dict";
  let hasVerifier = 1;
}

def NMC_InputOp : NMC_Op<"input"> {
  let summary = "An input port: a Source population fed by the host";
  let arguments = (ins StrAttr:$sym_name, I64Attr:$population,
      DenseI64ArrayAttr:$shape);
  let assemblyFormat = "$sym_name attr-dict";
}

def NMC_OutputOp : NMC_Op<"output"> {
  let summary = "An output port: a population the host reads";
  let arguments = (ins StrAttr:$sym_name, I64Attr:$population,
      DenseI64ArrayAttr:$shape);
  let assemblyFormat = "$sym_name attr-dict";
}

def NMC_MappingOp : NMC_Op<"mapping", [NoTerminator, SingleBlock,
    HasParent<"ProgramOp">]> {
  let summary = "The program mapped onto a target's chips and cores";
  let description = [{
    `target` names the target description (a preset name or the file's
    `name`) and `target_json` holds all of it (docs/targets.md), so that
    later passes and the artifact see the same limits. `stage` says how far
    mapping went: `partitioned`, `placed` or `routed`. The body holds one
    `nmc.chip` per chip in use (before placement: one pseudo-chip at
    x = y = -1 holding every core).
  }];
  let arguments = (ins StrAttr:$target, StrAttr:$target_json, StrAttr:$stage);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$target attr-dict-with-keyword $body";
}

def NMC_ChipOp : NMC_Op<"chip", [NoTerminator, SingleBlock,
    HasParent<"MappingOp">]> {
  let summary = "One chip of the mesh: its cores and its router's table";
  let arguments = (ins I64Attr:$x, I64Attr:$y,
      DefaultValuedAttr<I64Attr, "0">:$entries_before_compression);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "`(` $x `,` $y `)` attr-dict-with-keyword $body";
}

def NMC_CoreOp : NMC_Op<"core", [HasParent<"ChipOp">]> {
  let summary = "One core: the neuron ranges it holds and what they use";
  let description = [{
    `id` numbers the core in the whole mapping (partition order), `index`
    within its chip. `slices` lists the neuron ranges it holds as triples
    (population, first, end); `neurons`, `synapses` (those ending on its
    neurons), `synapse_words`, `fan_in` (distinct source neurons) and
    `fan_out` (distinct destination cores) are what the design-rule check
    compares with the target. `key`/`mask` is the core's routing key: its
    j-th neuron (counting through the slices) sends `key | j`.
  }];
  let arguments = (ins I64Attr:$id, I64Attr:$index, DenseI64ArrayAttr:$slices,
      I64Attr:$neurons, I64Attr:$synapses, I64Attr:$synapse_words,
      I64Attr:$fan_in, DefaultValuedAttr<I64Attr, "0">:$fan_out,
      DefaultValuedAttr<I64Attr, "0">:$key,
      DefaultValuedAttr<I64Attr, "0">:$mask);
  let assemblyFormat = "$id attr-dict";
  let hasVerifier = 1;
}

def NMC_RouteOp : NMC_Op<"route", [HasParent<"ChipOp">]> {
  let summary = "A multicast routing entry of the chip's router";
  let description = [{
    Packets with `(packet & mask) == key` leave through `links` (bit i: link
    i; 0 = +x, 1 = +y, 2 = -x, 3 = -y) and reach the chip's cores whose
    `index` is listed in `cores`. Entries are in priority order; a
    packet that matches none goes straight on (default routing).
  }];
  let arguments = (ins I64Attr:$key, I64Attr:$mask, I64Attr:$links,
      DenseI64ArrayAttr:$cores);
  let assemblyFormat = "attr-dict";
}

#endif // SNNC_NMC_OPS_TD
