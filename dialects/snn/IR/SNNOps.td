//===- SNNOps.td - The snn dialect: NIR's primitives in MLIR ----------------===//
//
// One op per NIR primitive, with NIR's parameter names and continuous-time
// units (seconds, and the file's own units for voltage and resistance).
// A network is a graph region, so recurrent cycles are ordinary SSA.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_SNN_OPS_TD
#define SNNC_SNN_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/OpAsmInterface.td"

def SNN_Dialect : Dialect {
  let name = "snn";
  let cppNamespace = "::snnc::snn";
  let summary = "Spiking neural network graphs with NIR's continuous-time semantics";
  let description = [{
    The `snn` dialect holds a spiking network as a graph of NIR primitives.
    Every op is one NIR node: it carries the node's name (`"lif1"`), takes
    the values of all edges that end at the node as operands (NIR sums the
    inputs of a node), and produces the node's output. Parameters are dense
    attributes under NIR's names, in NIR's continuous-time units; discrete
    time (dt, integrator, reset rule) is chosen later by an explicit pass.

    Values are builtin ranked tensors whose shape is the node's shape
    without batch or time dimensions; the element type is `f32`. Parameter
    attributes keep the floating-point type they had in the source file.

    A network lives in `snn.network`, whose body is a graph region: ops may
    use values defined after them, so recurrent connections are legal.
    NIR subgraphs become `snn.graph` ops nested in it.
  }];
}

class SNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<SNN_Dialect, mnemonic, traits>;

// A per-neuron (or per-element) parameter in any floating-point type, with
// the same shape as the node's output.
def SNN_FloatParam : Attr<
    CPred<"::llvm::isa<::mlir::DenseFPElementsAttr>($_self)">,
    "dense floating-point elements"> {
  let storageType = "::mlir::DenseFPElementsAttr";
  let returnType = "::mlir::DenseFPElementsAttr";
  let convertFromStorage = "$_self";
}

//===----------------------------------------------------------------------===//
// Containers
//===----------------------------------------------------------------------===//

def SNN_NetworkOp : SNN_Op<"network", !listconcat([
    IsolatedFromAbove, Symbol], GraphRegionNoTerminator.traits)> {
  let summary = "A spiking network: a NIR graph with a name";
  let description = [{
    The top-level NIR graph. Its body is a graph region holding one op per
    NIR node; `snn.input` ops are the network's external inputs and
    `snn.output` ops its external outputs. Node names are unique within the
    body. `nir_version` records the version string of the file it came from.

    ```mlir
    snn.network @braille attributes {nir_version = "0.2.0"} {
      %input = snn.input "input" : tensor<12xf32>
      %fc1 = snn.affine "fc1"(%input) {bias = dense<0.0> : tensor<38xf32>,
                                       weight = dense<0.1> : tensor<38x12xf32>}
          : tensor<12xf32> -> tensor<38xf32>
      %lif = snn.cuba_lif "lif"(%fc1, %rec) {...} : tensor<38xf32>
      %rec = snn.linear "rec"(%lif) {weight = dense<...> : tensor<38x38xf32>}
          : tensor<38xf32>
      snn.output "output"(%lif) : tensor<38xf32>
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, OptionalAttr<StrAttr>:$nir_version);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
}

def SNN_GraphOp : SNN_Op<"graph", !listconcat([
    IsolatedFromAbove, ParentOneOf<["NetworkOp", "GraphOp"]>,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>],
    GraphRegionNoTerminator.traits)> {
  let summary = "A nested NIR subgraph used as one node";
  let description = [{
    A NIR subgraph (a `NIRGraph` node inside a graph). Its body is a graph
    region like `snn.network`'s. Each operand feeds the inner `snn.input`
    named by the same position of `input_ports` (several operands may feed
    one port; they are summed). Each result is the value reaching the inner
    `snn.output` named by the same position of `output_ports`.

    ```mlir
    %hidden = snn.graph "hidden"(%fc1) {input_ports = ["input"],
                                        output_ports = ["output"]}
        : (tensor<38xf32>) -> tensor<38xf32> {
      %input = snn.input "input" : tensor<38xf32>
      %lif = snn.cuba_lif "lif"(%input, %lin) {...} : tensor<38xf32>
      %lin = snn.affine "lin"(%lif) {...} : tensor<38xf32>
      snn.output "output"(%lif) : tensor<38xf32>
    }
    ```
  }];
  let arguments = (ins StrAttr:$name, Variadic<AnyRankedTensor>:$inputs,
                   StrArrayAttr:$input_ports, StrArrayAttr:$output_ports);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $name `(` $inputs `)` attr-dict `:` functional-type($inputs, $outputs) $body
  }];
  let hasRegionVerifier = 1;
}

def SNN_InputOp : SNN_Op<"input", [ParentOneOf<["NetworkOp", "GraphOp"]>,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>]> {
  let summary = "NIR Input: an external input of a graph";
  let description = [{
    Produces the value fed to the graph from outside: the network's input
    data, or for a nested `snn.graph` the operands bound to this port.
    NIR's `shape` is the result type's shape.

    ```mlir
    %input = snn.input "input" : tensor<2x34x34xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$name attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def SNN_OutputOp : SNN_Op<"output", [ParentOneOf<["NetworkOp", "GraphOp"]>]> {
  let summary = "NIR Output: an external output of a graph";
  let description = [{
    Marks the sum of its operands as an output of the enclosing graph. NIR's
    `shape` is `type`'s shape; every operand must have that type.

    ```mlir
    snn.output "output"(%lif2) : tensor<7xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name, Variadic<AnyRankedTensor>:$inputs,
                   TypeAttrOf<AnyRankedTensor>:$type);
  let assemblyFormat = [{
    $name `(` $inputs `)` attr-dict `:` custom<OutputType>(ref($inputs), type($inputs), $type)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Nodes: one result, any number of summed inputs
//===----------------------------------------------------------------------===//

class SNN_NodeOp<string mnemonic, dag params, list<Trait> traits = []>
    : SNN_Op<mnemonic, !listconcat(traits, [ParentOneOf<["NetworkOp", "GraphOp"]>,
        DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>])> {
  let arguments = !con((ins StrAttr:$name, Variadic<AnyRankedTensor>:$inputs), params);
  let results = (outs AnyRankedTensor:$output);
  // The input type is printed once (all inputs of a node share it) and only
  // when it differs from the output type.
  let assemblyFormat = [{
    $name `(` $inputs `)` attr-dict `:` custom<NodeTypes>(ref($inputs), type($inputs), type($output))
  }];
  let hasVerifier = 1;
}

def SNN_AffineOp : SNN_NodeOp<"affine", (ins SNN_FloatParam:$weight, SNN_FloatParam:$bias)> {
  let summary = "NIR Affine: y = W x + b";
  let description = [{
    Dense weights `weight` of shape `[out, in]` and `bias` of shape `[out]`;
    input `tensor<in>`, output `tensor<out>`.

    ```mlir
    %fc1 = snn.affine "fc1"(%input) {bias = dense<0.0> : tensor<38xf32>,
                                     weight = dense<0.5> : tensor<38x12xf32>}
        : tensor<12xf32> -> tensor<38xf32>
    ```
  }];
}

def SNN_LinearOp : SNN_NodeOp<"linear", (ins SNN_FloatParam:$weight)> {
  let summary = "NIR Linear: y = W x";
  let description = [{
    Like `snn.affine` without bias: `weight` has shape `[out, in]`.

    ```mlir
    %w = snn.linear "w_rec"(%lif) {weight = dense<0.1> : tensor<40x40xf64>}
        : tensor<40xf32>
    ```
  }];
}

def SNN_Conv1dOp : SNN_NodeOp<"conv1d", (ins SNN_FloatParam:$weight, SNN_FloatParam:$bias,
    DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
    DenseI64ArrayAttr:$dilation, I64Attr:$groups)> {
  let summary = "NIR Conv1d: 1-D cross-correlation";
  let description = [{
    Input `tensor<C_in x N>`, `weight` `[C_out, C_in/groups, K]`, `bias`
    `[C_out]`; `stride`, `padding` (explicit, per side) and `dilation` hold one
    value each. Output length `(N + 2p - d(K-1) - 1) / s + 1`. NIR's string
    padding (`"same"`, `"valid"`) is resolved to numbers on import.

    ```mlir
    %c = snn.conv1d "c"(%x) {bias = dense<0.0> : tensor<4xf32>, dilation = array<i64: 1>,
                             groups = 1 : i64, padding = array<i64: 1>, stride = array<i64: 1>,
                             weight = dense<0.1> : tensor<4x2x3xf32>}
        : tensor<2x16xf32> -> tensor<4x16xf32>
    ```
  }];
}

def SNN_Conv2dOp : SNN_NodeOp<"conv2d", (ins SNN_FloatParam:$weight, SNN_FloatParam:$bias,
    DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
    DenseI64ArrayAttr:$dilation, I64Attr:$groups)> {
  let summary = "NIR Conv2d: 2-D cross-correlation";
  let description = [{
    Input `tensor<C_in x H x W>`, `weight` `[C_out, C_in/groups, K_h, K_w]`,
    `bias` `[C_out]`; `stride`, `padding` and `dilation` hold (h, w). NIR's
    `input_shape` is the input type's (H, W).

    ```mlir
    %0 = snn.conv2d "0"(%input) {bias = dense<0.0> : tensor<16xf32>,
                                 dilation = array<i64: 1, 1>, groups = 1 : i64,
                                 padding = array<i64: 1, 1>, stride = array<i64: 2, 2>,
                                 weight = dense<0.1> : tensor<16x2x5x5xf32>}
        : tensor<2x34x34xf32> -> tensor<16x16x16xf32>
    ```
  }];
}

class SNN_Pool2dOp<string mnemonic, string what> : SNN_NodeOp<mnemonic, (ins
    DenseI64ArrayAttr:$kernel_size, DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding)> {
  let summary = "NIR " # what # " over (H, W) windows of each channel";
  let description = [{
    Input `tensor<C x H x W>`; `kernel_size`, `stride` and `padding` hold
    (h, w). Output `tensor<C x H' x W'>` with `H' = (H + 2p - k) / s + 1`.

    ```mlir
    %4 = snn.}] # mnemonic # [{ "4"(%3) {kernel_size = array<i64: 2, 2>,
        padding = array<i64: 0, 0>, stride = array<i64: 2, 2>}
        : tensor<16x16x16xf32> -> tensor<16x8x8xf32>
    ```
  }];
}

def SNN_SumPool2dOp : SNN_Pool2dOp<"sum_pool2d", "SumPool2d: sum">;
def SNN_AvgPool2dOp : SNN_Pool2dOp<"avg_pool2d", "AvgPool2d: mean">;

def SNN_FlattenOp : SNN_NodeOp<"flatten", (ins I64Attr:$start_dim, I64Attr:$end_dim)> {
  let summary = "NIR Flatten: merge dimensions start_dim..end_dim";
  let description = [{
    Reshapes without moving data. `start_dim` and `end_dim` count the node's
    own dimensions (no batch dimension); negative values count from the end.

    ```mlir
    %8 = snn.flatten "8"(%7) {end_dim = -1 : i64, start_dim = 0 : i64}
        : tensor<8x4x4xf32> -> tensor<128xf32>
    ```
  }];
}

def SNN_ScaleOp : SNN_NodeOp<"scale", (ins SNN_FloatParam:$scale)> {
  let summary = "NIR Scale: y = s ⊙ x";
  let description = [{
    ```mlir
    %s = snn.scale "s"(%x) {scale = dense<2.0> : tensor<4xf32>} : tensor<4xf32>
    ```
  }];
}

def SNN_ThresholdOp : SNN_NodeOp<"threshold", (ins SNN_FloatParam:$threshold)> {
  let summary = "NIR Threshold: z = H(x - threshold), strictly greater";
  let description = [{
    ```mlir
    %t = snn.threshold "t"(%x) {threshold = dense<1.0> : tensor<4xf32>} : tensor<4xf32>
    ```
  }];
}

def SNN_DelayOp : SNN_NodeOp<"delay", (ins SNN_FloatParam:$delay)> {
  let summary = "NIR Delay: y(t) = x(t - delay), delay in seconds";
  let description = [{
    Per-element delays, in seconds (never negative).

    ```mlir
    %d = snn.delay "d"(%x) {delay = dense<1.0e-3> : tensor<4xf32>} : tensor<4xf32>
    ```
  }];
}

def SNN_LIFOp : SNN_NodeOp<"lif", (ins SNN_FloatParam:$tau, SNN_FloatParam:$r,
    SNN_FloatParam:$v_leak, SNN_FloatParam:$v_threshold, SNN_FloatParam:$v_reset)> {
  let summary = "NIR LIF: leaky integrate-and-fire neurons";
  let description = [{
    `tau dv/dt = (v_leak - v) + r I`; a spike when `v > v_threshold`, then
    `v = v_reset`. `tau` in seconds. All parameters have the population's
    shape (`v_reset` defaults to 0 on import from files that lack it).

    ```mlir
    %lif = snn.lif "1"(%0) {r = dense<1.0> : tensor<1xf32>, tau = dense<2.5e-3> : tensor<1xf32>,
                            v_leak = dense<0.0> : tensor<1xf32>, v_reset = dense<0.0> : tensor<1xf32>,
                            v_threshold = dense<0.1> : tensor<1xf32>} : tensor<1xf32>
    ```
  }];
}

def SNN_CubaLIFOp : SNN_NodeOp<"cuba_lif", (ins SNN_FloatParam:$tau_syn,
    SNN_FloatParam:$tau_mem, SNN_FloatParam:$r, SNN_FloatParam:$v_leak,
    SNN_FloatParam:$v_threshold, SNN_FloatParam:$v_reset, SNN_FloatParam:$w_in)> {
  let summary = "NIR CubaLIF: current-based LIF neurons";
  let description = [{
    `tau_syn dI/dt = -I + w_in S`; `tau_mem dv/dt = (v_leak - v) + r I`; a
    spike when `v > v_threshold`, then `v = v_reset`. `w_in` defaults to 1
    and `v_reset` to 0 on import.

    ```mlir
    %l = snn.cuba_lif "lif1"(%fc1, %rec) {r = ..., tau_mem = ..., tau_syn = ...,
        v_leak = ..., v_reset = ..., v_threshold = ..., w_in = ...} : tensor<38xf32>
    ```
  }];
}

def SNN_IFOp : SNN_NodeOp<"if", (ins SNN_FloatParam:$r,
    SNN_FloatParam:$v_threshold, SNN_FloatParam:$v_reset)> {
  let summary = "NIR IF: integrate-and-fire neurons";
  let description = [{
    `dv/dt = r I`; a spike when `v > v_threshold`, then `v = v_reset`.

    ```mlir
    %1 = snn.if "1"(%0) {r = dense<1.0> : tensor<16x16x16xf32>,
                         v_reset = dense<0.0> : tensor<16x16x16xf32>,
                         v_threshold = dense<1.0> : tensor<16x16x16xf32>} : tensor<16x16x16xf32>
    ```
  }];
}

def SNN_LIOp : SNN_NodeOp<"li", (ins SNN_FloatParam:$tau, SNN_FloatParam:$r,
    SNN_FloatParam:$v_leak)> {
  let summary = "NIR LI: leaky integrators (no spikes)";
  let description = [{
    `tau dv/dt = (v_leak - v) + r I`; the output is `v`.

    ```mlir
    %o = snn.li "LI"(%x) {r = ..., tau = ..., v_leak = ...} : tensor<20xf32>
    ```
  }];
}

def SNN_CubaLIOp : SNN_NodeOp<"cuba_li", (ins SNN_FloatParam:$tau_syn,
    SNN_FloatParam:$tau_mem, SNN_FloatParam:$r, SNN_FloatParam:$v_leak,
    SNN_FloatParam:$w_in)> {
  let summary = "NIR CubaLI: current-based leaky integrators (no spikes)";
  let description = [{
    `tau_syn dI/dt = -I + w_in S`; `tau_mem dv/dt = (v_leak - v) + r I`; the
    output is `v`.

    ```mlir
    %o = snn.cuba_li "readout"(%x) {r = ..., tau_mem = ..., tau_syn = ...,
        v_leak = ..., w_in = ...} : tensor<7xf32>
    ```
  }];
}

def SNN_IntegratorOp : SNN_NodeOp<"integrator", (ins SNN_FloatParam:$r)> {
  let summary = "NIR I: a pure integrator, dv/dt = r I";
  let description = [{
    ```mlir
    %i = snn.integrator "acc"(%x) {r = dense<1.0> : tensor<4xf32>} : tensor<4xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Discrete time (after snn-discretize)
//===----------------------------------------------------------------------===//

def SNN_DiscreteNeuronOp : SNN_NodeOp<"discrete_neuron", (ins
    StrAttr:$kind, SNN_FloatParam:$alpha, SNN_FloatParam:$beta,
    SNN_FloatParam:$gain_syn, SNN_FloatParam:$gain_mem,
    SNN_FloatParam:$gain_direct, SNN_FloatParam:$leak,
    SNN_FloatParam:$v_threshold, SNN_FloatParam:$v_reset,
    SNN_FloatParam:$v_init, OptionalAttr<StrAttr>:$reset,
    OptionalAttr<DictionaryAttr>:$delta)> {
  let summary = "A population in discrete time: per-step decays and gains";
  let description = [{
    What `snn-discretize` makes of a continuous neuron op for one dt and
    one profile. `kind` is the source op (`lif`, `cuba_lif`, `if`, `li`,
    `cuba_li`, `integrator`); with input x (the sum of the operands) each
    step computes, for current-based kinds in the order the network's
    `snn.discretization` gives,

    `I = alpha * I + gain_syn * x`,
    `v = beta * v + leak + gain_mem * I + gain_direct * x`,

    and for the others `v = beta * v + leak + gain_mem * x`; spiking kinds
    then compare v with `v_threshold` and reset (rule and timing also on the
    network). `v_init` is the membrane at step 0. All parameters are f32 with
    the population's shape; docs/discretization.md gives them per profile.

    `reset` (`"zero"` or `"subtract"`, spiking kinds only) is this
    population's reset rule where the profile's default for its kind differs
    from the network's (snnTorch's IF subtracts). `delta` (leaky kinds
    only: `lif`, `cuba_lif`, `li`, `cuba_li`) asks for the delta form that
    Euler and Norse evaluate, with the f32 parameters `k_mem`, `k_syn`, `r`,
    `w_in`, `v_leak` and `i_leak`:
    `I = I + k_syn * ((i_leak - I) + w_in * x)`,
    `v = v + k_mem * ((v_leak - v) + r * J)`; it equals the decay form up
    to the last bit.

    ```mlir
    %lif1 = snn.discrete_neuron "lif1"(%fc1) {kind = "lif",
        alpha = dense<0.0> : tensor<4xf32>, beta = dense<0.96> : tensor<4xf32>,
        gain_syn = dense<1.0> : tensor<4xf32>, gain_mem = dense<0.04> : tensor<4xf32>,
        gain_direct = dense<0.0> : tensor<4xf32>,
        leak = dense<0.0> : tensor<4xf32>, v_threshold = dense<1.0> : tensor<4xf32>,
        v_reset = dense<0.0> : tensor<4xf32>, v_init = dense<0.0> : tensor<4xf32>}
        : tensor<4xf32>
    ```
  }];
}

include "SNNExtOps.td"

#endif // SNNC_SNN_OPS_TD
