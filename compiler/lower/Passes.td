//===- Passes.td - Passes of the compiler's lowering ------------------------===//
#ifndef SNNC_COMPILER_LOWER_PASSES_TD
#define SNNC_COMPILER_LOWER_PASSES_TD

include "mlir/Pass/PassBase.td"

def SNNExpandConnectivity : Pass<"snn-expand-connectivity", "::mlir::ModuleOp"> {
  let summary = "Procedural connectivity (snn.connect) to explicit synapse lists";
  let description = [{
    Expands every `snn.connect` of a discretized network into an
    `snn.sparse` with the same name, inputs, receptor and result, its synapse
    arrays held in resource blobs (`pre` and `post` as i32, `weight` and
    `delay` as f32, one value when the rule's distribution is a constant).
    For passes that need explicit synapses (mapping onto cores). The
    expansion is the one the lowering and the runtime perform
    (docs/procedural.md), so compiling the expanded IR gives the same
    artifact synapses and the same spikes. Delays are rounded to steps of
    the network's dt and stored as that many steps times dt. An expansion
    above `memory-budget-mib` is refused before allocating, naming its size.

    Before (`--snn-discretize="dt=1e-4" --snn-expand-connectivity`):
    ```mlir
    %ee = snn.connect "ee"(%exc) {rule = "fixed_probability", p = 0.02 : f64,
        weight = {dist = "constant", value = 1.62e-3 : f64}, seed = 1 : i64,
        receptor = "exc"} : tensor<3200xf32>
    ```
    After:
    ```mlir
    %ee = snn.sparse "ee"(%exc) {post = dense_resource<ee_post> : tensor<204931xi32>,
        pre = dense_resource<ee_pre> : tensor<204931xi32>, receptor = "exc",
        weight = dense<1.620000e-03> : tensor<1xf32>} : tensor<3200xf32>
    ```
  }];
  let options = [
    Option<"threads", "threads", "unsigned", "0",
           "generator threads (0: every core)">,
    Option<"memoryBudgetMiB", "memory-budget-mib", "uint64_t", "8192",
           "largest expansion of one op, in MiB">,
  ];
}

def SNNToNMC : Pass<"snn-to-nmc", "::mlir::ModuleOp"> {
  let summary = "A discretized snn.network to an nmc.program";
  let description = [{
    Lowers the module's first `snn.network`, which `snn-discretize` must
    have run on, to an `nmc.program` in its place: one `nmc.population` per
    neuron population (in evaluation order, with its per-step constants),
    one `nmc.projection` per synapse set (dense, sparse CSR, convolution
    and pooling kernels, or an `snn.connect` rule kept for the runtime to
    expand), and the ports. Every later step (the mapping passes, the
    artifact writer) reads this program; it prints with `snnc --emit=nmc`.
    Where `snn.connect` is expanded follows `expand-connectivity`
    (`auto`: at compile time up to 2^20 synapses per projection, else at
    load; `compile`; `load`).
  }];
  let options = [
    Option<"expandConnectivity", "expand-connectivity", "std::string",
           "\"auto\"", "where snn.connect is expanded: auto, compile or load">,
    Option<"threads", "threads", "unsigned", "0",
           "generator threads (0: every core)">,
    Option<"memoryBudgetMiB", "memory-budget-mib", "uint64_t", "8192",
           "largest expansion of one op, in MiB">,
  ];
  let dependentDialects = ["::snnc::nmc::NMCDialect"];
}

def NMCQuantize : Pass<"nmc-quantize", "::mlir::ModuleOp"> {
  let summary = "Fixed-point formats for an nmc.program, from a target";
  let description = [{
    Chooses, from the target's `weight_bits` and `state_bits`, every
    population's state scale (the threshold takes about 1/8 of the state
    range), saturated thresholds, resets, biases and initial values and
    12-bit decays (`nmc.fixed` on each `nmc.population`), and every
    projection's shared exponent and weight mantissas (`nmc.fixed_weights`
    on each `nmc.projection`, with how many weights rounded to zero or were
    clipped); a pool whose scale is not a power of two in state units
    becomes explicit sparse rows. The program gets `nmc.quantization`: the
    formats and notes naming each clipped parameter, each projection with
    zeroed or clipped weights (the first weights by index and value), and
    each decay whose 12-bit form changes its time constant by more than 1 %.
    `snnc --mode fixed` runs this pass (with `--target`'s formats, else
    snncore's: 8-bit weights, 24-bit state) and writes what it chose; the
    pass refuses, naming the population or projection, what has no
    fixed-point form. docs/fixed-point.md has the formats.
  }];
  let options = [
    Option<"target", "target", "std::string", "\"snncore\"",
           "preset name or target description file whose formats to use">,
    Option<"sourceFracBits", "source-frac-bits", "int", "12",
           "fraction bits of host-given (Source) values">,
  ];
}

#endif // SNNC_COMPILER_LOWER_PASSES_TD
