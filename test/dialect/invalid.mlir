// Verifier errors name the node and the mismatch.
// RUN: snn-opt %s -split-input-file -verify-diagnostics

snn.network @n {
  %x = snn.input "x" : tensor<3xf32>
  // expected-error @+1 {{node 'lif': parameter 'r' has shape [4] but [3] is required}}
  %l = snn.lif "lif"(%x) {r = dense<1.0> : tensor<4xf32>, tau = dense<2.5e-3> : tensor<3xf32>, v_leak = dense<0.0> : tensor<3xf32>, v_reset = dense<0.0> : tensor<3xf32>, v_threshold = dense<0.1> : tensor<3xf32>} : tensor<3xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<5xf32>
  // expected-error @+1 {{node 'fc': weight of shape [3, 4] (out, in) expects input [4] but receives [5]}}
  %fc = snn.affine "fc"(%x) {bias = dense<0.0> : tensor<3xf32>, weight = dense<1.0> : tensor<3x4xf32>} : tensor<5xf32> -> tensor<3xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 'fc': parameter 'bias' has shape [2] but [3] is required}}
  %fc = snn.affine "fc"(%x) {bias = dense<0.0> : tensor<2xf32>, weight = dense<1.0> : tensor<3x4xf32>} : tensor<4xf32> -> tensor<3xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<2x6x6xf32>
  // expected-error @+1 {{node 'c': output shape [4, 6, 6] does not match the computed shape [4, 3, 3]}}
  %c = snn.conv2d "c"(%x) {bias = dense<0.0> : tensor<4xf32>, dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>, weight = dense<0.1> : tensor<4x2x3x3xf32>} : tensor<2x6x6xf32> -> tensor<4x6x6xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<3x6x6xf32>
  // expected-error @+1 {{node 'c': input has 3 channels but weight [4, 2, 3, 3] with groups = 1 expects 2}}
  %c = snn.conv2d "c"(%x) {bias = dense<0.0> : tensor<4xf32>, dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>, weight = dense<0.1> : tensor<4x2x3x3xf32>} : tensor<3x6x6xf32> -> tensor<4x3x3xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<2x6x6xf32>
  // expected-error @+1 {{node 'p': 'stride' values must be >= 1}}
  %p = snn.sum_pool2d "p"(%x) {kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 0, 2>} : tensor<2x6x6xf32> -> tensor<2x3x3xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<2x3xf32>
  // expected-error @+1 {{node 'f': start_dim = 2 and end_dim = -1 do not select dimensions of input [2, 3]}}
  %f = snn.flatten "f"(%x) {end_dim = -1 : i64, start_dim = 2 : i64} : tensor<2x3xf32> -> tensor<6xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<3xf32>
  %y = snn.input "y" : tensor<4xf32>
  // expected-error @+1 {{node 's': inputs are summed and must share one type, but input 1 is 'tensor<4xf32>' and input 0 is 'tensor<3xf32>'}}
  %s = "snn.scale"(%x, %y) <{name = "s", scale = dense<2.0> : tensor<3xf32>}> : (tensor<3xf32>, tensor<4xf32>) -> tensor<3xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<1xf32>
  // expected-error @+1 {{node 'lif': time constant 'tau' element 0 is zero}}
  %l = snn.lif "lif"(%x) {r = dense<1.0> : tensor<1xf32>, tau = dense<0.0> : tensor<1xf32>, v_leak = dense<0.0> : tensor<1xf32>, v_reset = dense<0.0> : tensor<1xf32>, v_threshold = dense<0.1> : tensor<1xf32>} : tensor<1xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<1xf32>
  // expected-error @+1 {{node 'd': delay element 0 is negative}}
  %d = snn.delay "d"(%x) {delay = dense<-1.0> : tensor<1xf32>} : tensor<1xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<1xf32>
  // expected-error @+1 {{node name 'x' appears twice in network @n}}
  %y = snn.input "x" : tensor<1xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<3xf32>
  // expected-error @+1 {{node 'out': input 0 has type 'tensor<3xf32>' but the output is declared 'tensor<4xf32>'}}
  "snn.output"(%x) <{name = "out", type = tensor<4xf32>}> : (tensor<3xf32>) -> ()
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<3xf32>
  // expected-error @+1 {{node 'g': input port 'missing' names no snn.input in the body}}
  snn.graph "g"(%x) {input_ports = ["missing"], output_ports = []} : (tensor<3xf32>) -> () {
    %i = snn.input "in" : tensor<3xf32>
  }
}

// -----

// expected-error @+1 {{'snn.lif' op expects parent op to be one of 'snn.network, snn.graph'}}
%l = snn.lif "lif"() {r = dense<1.0> : tensor<1xf32>, tau = dense<1.0> : tensor<1xf32>, v_leak = dense<0.0> : tensor<1xf32>, v_reset = dense<0.0> : tensor<1xf32>, v_threshold = dense<0.1> : tensor<1xf32>} : tensor<1xf32>

// -----

snn.network @n {
  %x = snn.input "x" : tensor<1xf32>
  // expected-error @+1 {{node 'lif': parameter 'v_threshold' is not finite}}
  %l = snn.lif "lif"(%x) {r = dense<1.0> : tensor<1xf32>, tau = dense<1.0> : tensor<1xf32>, v_leak = dense<0.0> : tensor<1xf32>, v_reset = dense<0.0> : tensor<1xf32>, v_threshold = dense<0x7FC00000> : tensor<1xf32>} : tensor<1xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<2xf32>
  // expected-error @+1 {{node 'li': reset is a rule of spiking kinds (lif, cuba_lif, if); a 'li' never spikes}}
  %l = snn.discrete_neuron "li"(%x) {kind = "li", alpha = dense<0.0> : tensor<2xf32>, beta = dense<0.9> : tensor<2xf32>, gain_syn = dense<1.0> : tensor<2xf32>, gain_mem = dense<0.1> : tensor<2xf32>, gain_direct = dense<0.0> : tensor<2xf32>, leak = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_init = dense<0.0> : tensor<2xf32>, reset = "subtract"} : tensor<2xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<2xf32>
  // expected-error @+1 {{node 'lif': reset must be "zero" or "subtract", got "half"}}
  %l = snn.discrete_neuron "lif"(%x) {kind = "lif", alpha = dense<0.0> : tensor<2xf32>, beta = dense<0.9> : tensor<2xf32>, gain_syn = dense<1.0> : tensor<2xf32>, gain_mem = dense<0.1> : tensor<2xf32>, gain_direct = dense<0.0> : tensor<2xf32>, leak = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_init = dense<0.0> : tensor<2xf32>, reset = "half"} : tensor<2xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<2xf32>
  // expected-error @+1 {{node 'if': delta is the update of leaky kinds (lif, cuba_lif, li, cuba_li); a 'if' has no decay}}
  %l = snn.discrete_neuron "if"(%x) {kind = "if", alpha = dense<0.0> : tensor<2xf32>, beta = dense<0.9> : tensor<2xf32>, gain_syn = dense<1.0> : tensor<2xf32>, gain_mem = dense<0.1> : tensor<2xf32>, gain_direct = dense<0.0> : tensor<2xf32>, leak = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_init = dense<0.0> : tensor<2xf32>, delta = {k_mem = dense<0.1> : tensor<2xf32>, k_syn = dense<0.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, w_in = dense<1.0> : tensor<2xf32>, v_leak = dense<0.0> : tensor<2xf32>, i_leak = dense<0.0> : tensor<2xf32>}} : tensor<2xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<2xf32>
  // expected-error @+1 {{node 'lif': delta lacks 'i_leak' (it needs k_mem, k_syn, r, w_in, v_leak, i_leak)}}
  %l = snn.discrete_neuron "lif"(%x) {kind = "lif", alpha = dense<0.0> : tensor<2xf32>, beta = dense<0.9> : tensor<2xf32>, gain_syn = dense<1.0> : tensor<2xf32>, gain_mem = dense<0.1> : tensor<2xf32>, gain_direct = dense<0.0> : tensor<2xf32>, leak = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_init = dense<0.0> : tensor<2xf32>, delta = {k_mem = dense<0.1> : tensor<2xf32>, k_syn = dense<0.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, w_in = dense<1.0> : tensor<2xf32>, v_leak = dense<0.0> : tensor<2xf32>}} : tensor<2xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<2xf32>
  // expected-error @+1 {{node 'lif': parameter 'k_mem' has shape}}
  %l = snn.discrete_neuron "lif"(%x) {kind = "lif", alpha = dense<0.0> : tensor<2xf32>, beta = dense<0.9> : tensor<2xf32>, gain_syn = dense<1.0> : tensor<2xf32>, gain_mem = dense<0.1> : tensor<2xf32>, gain_direct = dense<0.0> : tensor<2xf32>, leak = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_init = dense<0.0> : tensor<2xf32>, delta = {k_mem = dense<0.1> : tensor<3xf32>, k_syn = dense<0.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, w_in = dense<1.0> : tensor<2xf32>, v_leak = dense<0.0> : tensor<2xf32>, i_leak = dense<0.0> : tensor<2xf32>}} : tensor<2xf32>
}
