//===- SNNExtOps.td - snnc extensions beyond NIR ---------------------------===//
//
// Ops for biological-scale networks of the kind PyNN, NEST, Brian2 and GeNN
// users write: neurons with named current or conductance receptors and a
// refractory period, explicit and procedural sparse connectivity with
// per-synapse delays, and Poisson sources. NIR has no node for any of them,
// so `snnc --emit=nir` refuses them by name (docs/dialects/snn-rationale.md).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_SNN_EXT_OPS_TD
#define SNNC_SNN_EXT_OPS_TD

// An integer or floating-point array, inline (`dense<...>`) or held in an
// MLIR resource blob (`dense_resource<...>`), so that 10^8 synapses are
// neither hashed into the context nor copied when the IR is parsed.
def SNN_ArrayParam : Attr<
    CPred<"::llvm::isa<::mlir::ElementsAttr>($_self)">,
    "integer or floating-point elements, inline or as a resource blob"> {
  let storageType = "::mlir::ElementsAttr";
  let returnType = "::mlir::ElementsAttr";
  let convertFromStorage = "$_self";
}

def SNN_ReceptorLIFOp : SNN_NodeOp<"receptor_lif", (ins
    SNN_FloatParam:$tau_mem, SNN_FloatParam:$v_rest, SNN_FloatParam:$v_reset,
    SNN_FloatParam:$v_threshold, SNN_FloatParam:$r,
    OptionalAttr<SNN_FloatParam>:$v_init,
    OptionalAttr<DictionaryAttr>:$v_init_dist, F64Attr:$refractory,
    ArrayAttr:$receptors)> {
  let summary = "snnc extension: LIF neurons with named current or conductance receptors";
  let description = [{
    A leaky integrate-and-fire population whose input arrives through named
    receptors (synapse types), each an exponentially decaying state `g_k`:

    `tau_mem dv/dt = (v_rest - v) + r * sum_current(g_k) + sum_conductance(g_k * (e_rev_k - v))`,
    `tau_k dg_k/dt = -g_k`, and every event delivered to receptor `k` adds
    its weight to `g_k`. A spike when `v` crosses `v_threshold`, then
    `v = v_reset` and the membrane is held for `refractory` seconds (the
    receptors keep decaying). Conductances are relative to the leak
    (dimensionless); current receptors are in the units of `v` divided by
    `r`. Times in seconds.

    `receptors` is a list of dictionaries `{name, type, tau[, e_rev]}`:
    `type` is `"current"`, `"alpha"`, `"conductance"`, `"delta"` or
    `"injection"`, `tau` (and
    `e_rev`, for conductances only) a float or a dense array of the
    population's shape. A delta receptor (PyNN's `IF_curr_delta`, NEST's
    `iaf_psc_delta`) has no `tau`: an event moves `v` by its weight (in
    the units of `v`, `r` not applied) at the start of the step it is
    delivered in, and the moved `v` decays with the membrane in that step
    (Brian2's `on_pre: v += w`); events that arrive while the neuron is
    refractory are lost. An alpha receptor (PyNN's `IF_curr_alpha`, NEST's
    `iaf_psc_alpha`) is a current whose response to an event of weight w
    is `w (t / tau) e^(1 - t / tau)`, peaking at w after `tau`: two states,
    `tau dy/dt = -y` (each event adds its weight to y) and
    `tau dg/dt = -g + e * y`, and g drives the membrane. An injection receptor (PyNN's current sources,
    `DCSource`, `StepCurrentSource`) has no `tau` either: what is delivered
    to it in a step is a current (units of `v` divided by `r`) held
    constant over that step and gone in the next, so a source sets it anew
    every step; fed from an `snn.input`, it flows in the step the input
    gives it (no step for synaptic transmission, unlike events). A population with only delta receptors and no
    refractory period compiles to the artifact's plain `LIF` kind.
    Every other parameter has the population's shape (a splat for a
    homogeneous population); `v_init`, the membrane at step 0, defaults to
    `v_rest`. `v_init_dist` instead draws it per neuron from a distribution
    of `snn.connect`'s kinds with its own `seed` (PyNN's
    `initialize(v=RandomDistribution(...))`), by the same generator.

    Each input must come from an `snn.sparse` or `snn.connect` node whose
    `receptor` names one of this node's receptors: that is the channel its
    events reach.

    ```mlir
    %exc = snn.receptor_lif "exc"(%ee, %ie) {
        tau_mem = dense<2.0e-2> : tensor<3200xf32>, v_rest = dense<-4.9e-2> : tensor<3200xf32>,
        v_reset = dense<-6.0e-2> : tensor<3200xf32>, v_threshold = dense<-5.0e-2> : tensor<3200xf32>,
        r = dense<1.0> : tensor<3200xf32>, refractory = 5.0e-3,
        receptors = [{name = "exc", type = "current", tau = 5.0e-3},
                     {name = "inh", type = "current", tau = 1.0e-2} ]} : tensor<3200xf32>
    ```
  }];
}

def SNN_DiscreteReceptorLIFOp : SNN_NodeOp<"discrete_receptor_lif", (ins
    SNN_FloatParam:$beta, SNN_FloatParam:$leak, SNN_FloatParam:$v_threshold,
    SNN_FloatParam:$v_reset, SNN_FloatParam:$v_init,
    OptionalAttr<DictionaryAttr>:$v_init_dist, I64Attr:$refractory_steps,
    ArrayAttr:$receptors)> {
  let summary = "snnc extension: a receptor LIF population in discrete time";
  let description = [{
    What `snn-discretize` makes of `snn.receptor_lif`. Each step, for every
    receptor `k` with delivered events `x_k`: `g_k += x_k`; then
    `v' = beta * v + leak + sum_current(gain_k * g_k) + sum_conductance(gain_k * g_k * (reversal_k - v))`,
    the spike test and reset (rules on the network's `snn.discretization`),
    the refractory hold of `refractory_steps` steps, and `g_k *= decay_k`.
    `receptors` holds `{name, type, decay, gain[, reversal]}` (a delta
    receptor: decay 0, gain `beta`; an injection receptor: decay 0, gain the
    membrane's response to a unit current held over one step; an alpha
    receptor adds `gain_rise` and `rise`: its rise state y takes the events,
    `v' += gain * g + gain_rise * y`, then `g = decay * g + rise * y` and
    `y = decay * y`), each array
    f32 of the population's shape. This is the artifact's `ReceptorLIF`.
    `v_init_dist`, when present, replaces `v_init` when the network is
    lowered (the draw needs the generator, which the dialect does not link).

    ```mlir
    %exc = snn.discrete_receptor_lif "exc"(%ee) {beta = dense<0.995> : tensor<2xf32>,
        leak = dense<-2.4e-4> : tensor<2xf32>, v_threshold = dense<-0.05> : tensor<2xf32>,
        v_reset = dense<-0.06> : tensor<2xf32>, v_init = dense<-0.06> : tensor<2xf32>,
        refractory_steps = 50 : i64,
        receptors = [{name = "exc", type = "current", decay = dense<0.98> : tensor<2xf32>,
                      gain = dense<4.9e-3> : tensor<2xf32>} ]} : tensor<2xf32>
    ```
  }];
}

def SNN_SparseOp : SNN_NodeOp<"sparse", (ins SNN_ArrayParam:$pre,
    SNN_ArrayParam:$post, SNN_ArrayParam:$weight,
    OptionalAttr<SNN_ArrayParam>:$delay, OptionalAttr<StrAttr>:$receptor)> {
  let summary = "snnc extension: an explicit list of synapses";
  let description = [{
    Synapse `k` connects flat source index `pre[k]` to flat target index
    `post[k]` with weight `weight[k]` (one weight shared by all when it holds
    a single value) and, when `delay` is given, an extra delay of `delay[k]`
    seconds (one value or one per synapse; rounded to whole steps when the
    network is lowered). `pre` and `post` are integer arrays of one length;
    weights and delays floating point. Large lists belong in resource blobs
    (`dense_resource<name>`), which the parser maps without copying or
    hashing. `receptor` names the target's receptor (receptor LIF targets).

    Timing, for this op and `snn.connect`: an event emitted in step t acts
    on its target in step t + 1 + delay (in steps), whatever the order the
    populations are evaluated in — Brian2's rule; NEST counts the first step
    in its delay, so a NEST delay is an snnc delay one step longer. The
    exception is a current: what an `snn.input` delivers to an injection
    receptor in step t flows in step t + delay.

    ```mlir
    %w = snn.sparse "w"(%src) {pre = dense<[0, 0, 1]> : tensor<3xi32>,
        post = dense<[1, 2, 0]> : tensor<3xi32>, weight = dense<0.5> : tensor<1xf32>,
        delay = dense<[1.0e-3, 2.0e-3, 1.0e-3]> : tensor<3xf32>, receptor = "exc"}
        : tensor<2xf32> -> tensor<3xf32>
    ```
  }];
}

def SNN_ConnectOp : SNN_NodeOp<"connect", (ins StrAttr:$rule,
    OptionalAttr<F64Attr>:$p, OptionalAttr<I64Attr>:$n,
    DefaultValuedAttr<BoolAttr, "true">:$autapses,
    DefaultValuedAttr<BoolAttr, "true">:$multapses,
    DictionaryAttr:$weight, OptionalAttr<DictionaryAttr>:$delay,
    I64Attr:$seed, OptionalAttr<StrAttr>:$receptor)> {
  let summary = "snnc extension: procedural connectivity (a rule, distributions and a seed)";
  let description = [{
    Synapses given by a rule, expanded by snnc's counter-based generator
    (docs/procedural.md) so that the same op yields the same synapses on
    every platform and thread count. `rule`:

    | rule | parameter | PyNN / NEST |
    |---|---|---|
    | `all_to_all` | — | AllToAllConnector / all_to_all |
    | `one_to_one` | — (source and target sizes equal) | OneToOneConnector / one_to_one |
    | `fixed_probability` | `p` in [0, 1] | FixedProbabilityConnector / pairwise_bernoulli |
    | `fixed_in_degree` | `n` sources per target | FixedNumberPreConnector / fixed_indegree |
    | `fixed_out_degree` | `n` targets per source | FixedNumberPostConnector / fixed_outdegree |
    | `fixed_total_number` | `n` synapses in all | FixedTotalNumberConnector / fixed_total_number |

    `autapses = false` excludes a neuron's synapse onto itself (when the
    source is the target population); `multapses = false` makes
    `fixed_in_degree`, `fixed_out_degree` and `fixed_total_number` draw
    distinct pairs.
    `weight` and `delay` (seconds; default 0) are distributions:
    `{dist = "constant", value}`, `{dist = "normal", mean, std[, low, high]}`
    (values outside [low, high] are redrawn), `{dist = "lognormal", mu,
    sigma}`, `{dist = "uniform", low, high}`. `receptor` names the target's
    receptor (receptor LIF targets). Events are timed as `snn.sparse`'s.

    ```mlir
    %ee = snn.connect "ee"(%exc) {rule = "fixed_probability", p = 0.02 : f64,
        weight = {dist = "constant", value = 1.62e-3 : f64},
        delay = {dist = "constant", value = 1.0e-4 : f64},
        seed = 1 : i64, receptor = "exc"} : tensor<3200xf32>
    ```
  }];
}

def SNN_PoissonSourceOp : SNN_NodeOp<"poisson_source", (ins
    SNN_FloatParam:$rate, I64Attr:$seed)> {
  let summary = "snnc extension: independent Poisson spike trains";
  let description = [{
    A population of independent Poisson processes of `rate` Hz (per neuron
    or a splat), generated inside the engine each step from `seed` with the
    counter-based generator: it takes no inputs and needs no precomputed
    spike array. In a step of `dt` seconds a neuron emits a Poisson number
    of events with mean `rate * dt` (more than one at high rates, as NEST's
    `poisson_generator`), each delivering its weight.

    ```mlir
    %bg = snn.poisson_source "bg"() {rate = dense<8.0e3> : tensor<100xf32>, seed = 7 : i64}
        : tensor<100xf32>
    ```
  }];
}

#endif // SNNC_SNN_EXT_OPS_TD
