// snncore_pkg: the parameters, encodings and arithmetic shared by every
// module of the snncore chip. The defaults are the `snncore` target preset
// (docs/targets.md); docs/rtl-core.md gives every field as a bit table. The
// arithmetic functions implement runtime/reference/FixedPoint.h exactly for
// the widths the core uses (states of at most 32 bits, 64-bit accumulators).
package snncore_pkg;
  // Not every module uses every constant of the package.
  /* verilator lint_off UNUSEDPARAM */

  // ---- The snncore preset ------------------------------------------------
  localparam int unsigned CFG_CORES         = 4;      // cores_per_chip
  localparam int unsigned CFG_NEURONS       = 256;    // neurons_per_core
  localparam int unsigned CFG_SYN_WORDS     = 16384;  // synapse_words_per_core
  localparam int unsigned CFG_FAN_IN        = 1024;   // fan_in_per_core (axons)
  localparam int unsigned CFG_DELAY_SLOTS   = 16;     // delay_slots
  localparam int unsigned CFG_WEIGHT_W      = 8;      // weight_bits
  localparam int unsigned CFG_STATE_W       = 24;     // state_bits
  localparam int unsigned CFG_ROUTE_ENTRIES = 256;    // routing_entries_per_router
  // ---- Choices of this implementation -----------------------------------
  localparam int unsigned DECAY_W       = 13;     // 12-bit fraction + 4096
  localparam int unsigned CFG_ACC_W         = 64;     // input accumulator
  localparam int unsigned CFG_IN_KEYS       = 16;     // input key table entries
  localparam int unsigned CFG_MAX_PHASES    = 16;     // update phases a step
  localparam int unsigned CFG_FIFO_DEPTH    = 16;     // AER FIFOs
  localparam int unsigned CFG_POIS_WORDS    = 1024;   // Poisson thresholds
  localparam int unsigned CFG_POIS_ROUNDS   = 2;      // Philox rounds a cycle
  localparam int unsigned CFG_SYN_LANES     = 8;      // synapse words a cycle
  localparam int unsigned CFG_ACC_BANKS     = 16;     // accumulator banks
  localparam int unsigned LINKS         = 4;      // +x, +y, -x, -y
  localparam int unsigned EXP_W         = 5;      // weight exponent
  localparam int unsigned FRAC_W        = 5;      // source frac_bits
  localparam int unsigned BUS_W         = 32;     // host data word

  // ---- Neuron kinds (parameter word P0 bits [2:0]) -----------------------
  typedef enum logic [2:0] {
    KIND_LIF        = 3'd0,
    KIND_IF         = 3'd1,
    KIND_CUBALIF    = 3'd2,
    KIND_LI         = 3'd3,
    KIND_INTEGRATOR = 3'd4,
    KIND_CUBALI     = 3'd5,
    KIND_RELAY      = 3'd6,
    KIND_THRESHOLD  = 3'd7
  } kind_e;

  // ---- Reset timing (P0 bits [6:5]) ---------------------------------------
  typedef enum logic [1:0] {
    TIMING_SAME  = 2'd0,
    TIMING_NEXT  = 2'd1,
    TIMING_CARRY = 2'd2   // only with subtract; with to-reset it is SAME
  } timing_e;

  // ---- Host address map: unit [27:24], region [23:20], offset [19:0] -----
  localparam logic [3:0] UNIT_ROUTER = 4'hE;
  localparam logic [3:0] UNIT_CHIP   = 4'hF;

  localparam logic [3:0] REG_CTRL    = 4'h0; // core control registers
  localparam logic [3:0] REG_PARAM   = 4'h1; // 8 words a neuron
  localparam logic [3:0] REG_STATE   = 4'h2; // 4 words a neuron
  localparam logic [3:0] REG_AXON    = 4'h3; // 2 words an axon
  localparam logic [3:0] REG_SYN     = 4'h4; // 1 word a synapse
  localparam logic [3:0] REG_KEYS    = 4'h5; // 4 words an entry
  localparam logic [3:0] REG_ACC     = 4'h6; // 2 words a (slot, neuron)
  localparam logic [3:0] REG_PHASE   = 4'h7; // 1 word a phase
  localparam logic [3:0] REG_POIS    = 4'h8; // 1 word a Poisson threshold

  // ---- PoissonSource (runtime/reference/PoissonSource.h) ------------------
  // Counter word 3 of every Poisson draw ("Pois", kPoissonStream).
  localparam logic [31:0] POISSON_STREAM = 32'h506f_6973;

  // ---- Fixed-point arithmetic (runtime/reference/FixedPoint.h) ----------
  localparam int unsigned DECAY_BITS = 12;
  localparam logic [12:0] DECAY_ONE  = 13'd4096;

  // Clamps x into the signed `bits`-bit range, 1 <= bits <= 63.
  function automatic logic signed [63:0] sat(input logic signed [63:0] x,
                                             input int unsigned bits);
    logic signed [63:0] hi, lo;
    hi = (64'sd1 <<< (bits - 1)) - 64'sd1;
    lo = -hi - 64'sd1;
    if (x > hi) return hi;
    if (x < lo) return lo;
    return x;
  endfunction

  // decayState(): x - sign(x) * floor(|x| * d / 4096), d clamped to 4096,
  // for |x| <= 2^31, computed on the magnitude so that both signs round
  // toward zero.
  function automatic logic signed [63:0] decay(input logic signed [63:0] x,
                                               input logic [DECAY_W-1:0] d_in);
    logic [31:0] m, amount;
    logic [12:0] d;
    logic [44:0] lo_prod;
    d = (d_in > DECAY_W'(DECAY_ONE)) ? DECAY_ONE : 13'(d_in);
    m = x[63] ? 32'(-x) : 32'(x);
    lo_prod = 45'(m[11:0]) * 45'(d);
    amount = 32'(45'(m[31:12]) * 45'(d) + (lo_prod >> DECAY_BITS));
    return x[63] ? x + 64'(amount) : x - 64'(amount);
  endfunction

  // crosses(): v > th, or v >= th.
  function automatic logic crosses(input logic signed [63:0] v,
                                   input logic signed [63:0] th,
                                   input logic ge);
    return ge ? (v >= th) : (v > th);
  endfunction

  // roundingShiftRight() for k in 1..63: |x| / 2^k rounded half up, sign
  // restored (ties away from zero). |x| < 2^63 here.
  function automatic logic signed [63:0] round_shift(input logic signed [63:0] x,
                                                     input int unsigned k);
    logic [63:0] m, q;
    m = x[63] ? 64'(-x) : 64'(x);
    q = (m >> k) + ((m >> (k - 1)) & 64'd1);
    return x[63] ? -$signed(q) : $signed(q);
  endfunction

  // scaleByPow2() for e in -63..62: x * 2^e saturated to int64 for e >= 0,
  // x / 2^-e rounded half away from zero for e < 0.
  function automatic logic signed [63:0] scale_pow2(input logic signed [63:0] x,
                                                    input int e);
    logic [63:0] m;
    if (e < 0) return round_shift(x, unsigned'(-e));
    m = x[63] ? 64'(-x) : 64'(x);
    if (x[63] && m == 64'h8000_0000_0000_0000) // INT64_MIN
      return (e == 0) ? x : 64'sh8000_0000_0000_0000;
    if (m <= (64'h7fff_ffff_ffff_ffff >> e))
      return x[63] ? -$signed(m << e) : $signed(m << e);
    return x[63] ? 64'sh8000_0000_0000_0000 : 64'sh7fff_ffff_ffff_ffff;
  endfunction

  /* verilator lint_on UNUSEDPARAM */
endpackage
