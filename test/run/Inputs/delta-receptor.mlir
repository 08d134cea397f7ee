// Delta receptors: each event moves its target's v by the synapse's weight
// at once (Brian2's `on_pre: v += w`), then v decays with the membrane.
// `plain` has only a delta receptor and no refractory period, so it lowers
// to a LIF population; `refr` has a refractory period and a current
// receptor beside its delta one, so it stays a receptor LIF population.
// Both thresholds are out of reach: v is the filtered spike train
// (test/run/extensions.test checks it step by step).
snn.network @delta {
  %src = snn.poisson_source "src"() {rate = dense<300.0> : tensor<1xf32>, seed = 5 : i64} : tensor<1xf32>
  %a = snn.sparse "a"(%src) {pre = dense<[0, 0]> : tensor<2xi32>, post = dense<[0, 1]> : tensor<2xi32>, weight = dense<[1.0e-3, 2.5e-3]> : tensor<2xf32>, receptor = "syn"} : tensor<1xf32> -> tensor<2xf32>
  %plain = snn.receptor_lif "plain"(%a) {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = 0.0 : f64, receptors = [{name = "syn", type = "delta"}]} : tensor<2xf32>
  %b = snn.sparse "b"(%src) {pre = dense<[0, 0]> : tensor<2xi32>, post = dense<[0, 1]> : tensor<2xi32>, weight = dense<[1.0e-3, 2.5e-3]> : tensor<2xf32>, receptor = "syn"} : tensor<1xf32> -> tensor<2xf32>
  %refr = snn.receptor_lif "refr"(%b) {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = 2.0e-3 : f64, receptors = [{name = "syn", type = "delta"}, {name = "cur", type = "current", tau = 5.0e-3 : f64}]} : tensor<2xf32>
  snn.output "out_plain"(%plain) : tensor<2xf32>
  snn.output "out_refr"(%refr) : tensor<2xf32>
}
