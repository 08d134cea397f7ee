// snncore_neuron: the neuron update, a pure combinational function of one
// neuron's state, parameters and accumulated input (docs/rtl-core.md §3,
// docs/fixed-point.md "One step"). Every intermediate value is a 64-bit
// signed number; every stored result is saturated to STATE_W bits, as
// runtime/reference/FixedPoint.h does. The core calls it once per neuron
// and step.
module snncore_neuron
  import snncore_pkg::*;
#(
  parameter int unsigned STATE_W = snncore_pkg::CFG_STATE_W,  // 2..32
  parameter int unsigned ACC_W   = snncore_pkg::CFG_ACC_W     // STATE_W+1..64
) (
  // parameters (parameter word P0..P5)
  input  logic [2:0]               kind_i,
  input  logic                     subtract_i,
  input  logic                     ge_i,
  input  logic [1:0]               timing_i,
  input  logic                     syn_first_i,
  input  logic [DECAY_W-1:0]       decay_u_i,
  input  logic [DECAY_W-1:0]       decay_v_i,
  input  logic signed [31:0]       u_bias_i,
  input  logic signed [31:0]       v_bias_i,
  input  logic signed [STATE_W-1:0] threshold_i,
  input  logic signed [STATE_W-1:0] v_reset_i,
  // state (state word S0..S2) and this step's input
  input  logic signed [STATE_W-1:0] v_i,
  input  logic signed [STATE_W-1:0] u_i,
  input  logic                     spiked_i,   // spiked in the previous step
  input  logic signed [ACC_W-1:0]  acc_i,
  // next state and output
  output logic signed [STATE_W-1:0] v_o,
  output logic signed [STATE_W-1:0] u_o,
  output logic                     spiked_o,
  output logic                     emit_o,     // an output event this step
  output logic                     graded_o,   // the event carries v_o
  output logic signed [STATE_W-1:0] payload_o
);

  logic signed [63:0] x, th, vr, v0, v1, v2, u1, drive, vb, ub;
  logic spiking, cuba, stateless, timing_next, timing_carry, over, fire;

  always_comb begin : update
    th = 64'(threshold_i);
    vr = 64'(v_reset_i);
    vb = 64'(v_bias_i);
    ub = 64'(u_bias_i);
    x  = sat(64'(acc_i), STATE_W);

    spiking   = kind_i inside {KIND_LIF, KIND_IF, KIND_CUBALIF};
    cuba      = kind_i inside {KIND_CUBALIF, KIND_CUBALI};
    stateless = kind_i inside {KIND_RELAY, KIND_THRESHOLD};
    // Carry exists only with subtraction; with to-reset it is SameStep.
    timing_next  = spiking && (timing_i == TIMING_NEXT);
    timing_carry = spiking && subtract_i && (timing_i == TIMING_CARRY);

    // 1. NextStep: the previous step's spike resets v now.
    v0 = 64'(v_i);
    if (timing_next && spiked_i)
      v0 = sat(subtract_i ? v0 - th : vr, STATE_W);
    // 2. Carry: r = cmp(v, th) before the update.
    over = timing_carry && crosses(v0, th, ge_i);

    // 3. Integrate.
    u1 = sat(decay(64'(u_i), decay_u_i) + x + ub, STATE_W);
    drive = cuba ? (syn_first_i ? u1 : 64'(u_i)) : x;
    if (stateless)
      v1 = sat(x + vb, STATE_W);
    else
      v1 = sat(decay(v0, decay_v_i) + drive + vb, STATE_W);

    // 4.-6. Carry's subtraction, the spike test, the reset.
    if (timing_carry && over)
      v1 = sat(v1 - th, STATE_W);
    fire = (spiking || kind_i == KIND_THRESHOLD) && crosses(v1, th, ge_i);
    v2 = v1;
    if (spiking) begin
      if (timing_carry) begin
        if (fire && !over)
          v2 = sat(v1 - th, STATE_W);
        else if (!fire && over)
          v2 = sat(v1 + th, STATE_W);
      end else if (!timing_next && fire) begin
        v2 = sat(subtract_i ? v1 - th : vr, STATE_W);
      end
    end

    v_o       = STATE_W'(v2);
    u_o       = cuba ? STATE_W'(u1) : u_i;
    spiked_o  = fire;
    graded_o  = !(spiking || kind_i == KIND_THRESHOLD);
    emit_o    = graded_o ? (v2 != 64'sd0) : fire;
    payload_o = STATE_W'(v2);
  end

endmodule
