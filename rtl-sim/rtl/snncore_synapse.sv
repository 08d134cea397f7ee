// snncore_synapse: the synapse path of a core (docs/rtl-core.md §4, §6).
// An input event (key, graded flag, payload) is looked up in the input key
// table, which gives an axon; the axon table gives the axon's row of
// synapse words and the source's frac_bits; the row walker then streams one
// synapse word a cycle and adds each synapse's contribution into the
// accumulator of (current slot + synaptic delay, target neuron), wrapping
// modulo 2^ACC_W like fixedpoint::accumulate(). The next event is looked
// up in the cycle that walks the last synapse of a row, so back-to-back
// events keep one synaptic event a cycle. The neuron update reads and
// clears accumulators through the upd_* port, granted in cycles the walker
// leaves the accumulator memory free.
module snncore_synapse
  import snncore_pkg::*;
#(
  parameter int unsigned NEURONS     = snncore_pkg::CFG_NEURONS,
  parameter int unsigned SYN_WORDS   = snncore_pkg::CFG_SYN_WORDS,
  parameter int unsigned FAN_IN      = snncore_pkg::CFG_FAN_IN,
  parameter int unsigned DELAY_SLOTS = snncore_pkg::CFG_DELAY_SLOTS,
  parameter int unsigned WEIGHT_W    = snncore_pkg::CFG_WEIGHT_W,
  parameter int unsigned STATE_W     = snncore_pkg::CFG_STATE_W,
  parameter int unsigned ACC_W       = snncore_pkg::CFG_ACC_W,
  parameter int unsigned IN_KEYS     = snncore_pkg::CFG_IN_KEYS,
  localparam int unsigned NW  = $clog2(NEURONS),
  localparam int unsigned SAW = $clog2(SYN_WORDS),
  localparam int unsigned AXW = $clog2(FAN_IN),
  localparam int unsigned DW  = $clog2(DELAY_SLOTS),
  localparam int unsigned SYN_WW = WEIGHT_W + NW + DW + EXP_W
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,
  // events from the input FIFO
  input  logic                      ev_valid_i,
  output logic                      ev_ready_o,
  input  logic [31:0]               ev_key_i,
  input  logic                      ev_graded_i,
  input  logic signed [STATE_W-1:0] ev_payload_i,
  // the step's slot of the delay ring
  input  logic [DW-1:0]             slot_i,
  // host configuration (regions REG_AXON, REG_SYN, REG_KEYS, REG_ACC)
  input  logic                      cfg_we_i,
  input  logic [3:0]                cfg_region_i,
  input  logic [19:0]               cfg_offset_i,
  input  logic [BUS_W-1:0]          cfg_wdata_i,
  output logic [BUS_W-1:0]          cfg_rdata_o,
  input  logic                      clear_i,   // zero every accumulator
  // neuron update: read and clear acc[slot_i][upd_neuron_i]
  input  logic                      upd_req_i,
  input  logic [NW-1:0]             upd_neuron_i,
  output logic                      upd_gnt_o,
  output logic signed [ACC_W-1:0]   upd_acc_o,
  // status and activity counts
  output logic                      busy_o,
  output logic [31:0]               events_o,
  output logic [31:0]               misses_o,
  output logic [31:0]               synops_o
);
  localparam int unsigned ACC_DEPTH = DELAY_SLOTS * NEURONS;
  localparam int unsigned AMW = $clog2(ACC_DEPTH);

  // ---- Input key table ---------------------------------------------------
  logic [31:0]    key_q   [IN_KEYS];
  logic [31:0]    mask_q  [IN_KEYS];
  logic [AXW-1:0] kbase_q [IN_KEYS];
  logic           kvalid_q[IN_KEYS];

  // ---- Row walker state ----------------------------------------------------
  logic [SAW-1:0]           row_ptr_q;
  logic [SAW:0]             row_left_q;
  logic [FRAC_W-1:0]        row_frac_q;
  logic                     row_graded_q;
  logic signed [STATE_W-1:0] row_payload_q;
  logic                     clearing_q;
  logic [AMW-1:0]           clear_addr_q;
  logic [31:0]              events_q, misses_q, synops_q;

  // ---- Memories ------------------------------------------------------------
  logic                 syn_we, axp_we, axf_we, acc_we;
  logic [SAW-1:0]       syn_raddr;
  logic [SYN_WW-1:0]    syn_rdata;
  logic [AXW-1:0]       ax_raddr;
  logic [2*SAW:0]       axp_rdata;         // {count, base}
  logic [FRAC_W-1:0]    axf_rdata;         // frac
  logic [AMW-1:0]       acc_raddr, acc_waddr;
  logic [ACC_W-1:0]     acc_rdata, acc_wdata;

  wire cfg_syn  = cfg_we_i && cfg_region_i == REG_SYN;
  wire cfg_axon = cfg_we_i && cfg_region_i == REG_AXON;
  wire cfg_keys = cfg_we_i && cfg_region_i == REG_KEYS;

  assign syn_we = cfg_syn;
  assign axp_we = cfg_axon && !cfg_offset_i[0];
  assign axf_we = cfg_axon && cfg_offset_i[0];

  snncore_ram #(.WIDTH(SYN_WW), .DEPTH(SYN_WORDS)) u_syn_mem (
    .clk_i, .we_i(syn_we), .waddr_i(cfg_offset_i[SAW-1:0]),
    .wdata_i(cfg_wdata_i[SYN_WW-1:0]), .raddr_i(syn_raddr), .rdata_o(syn_rdata));
  snncore_ram #(.WIDTH(2*SAW+1), .DEPTH(FAN_IN)) u_axon_ptr (
    .clk_i, .we_i(axp_we), .waddr_i(cfg_offset_i[AXW:1]),
    .wdata_i({cfg_wdata_i[16+:SAW+1], cfg_wdata_i[SAW-1:0]}),
    .raddr_i(ax_raddr), .rdata_o(axp_rdata));
  snncore_ram #(.WIDTH(FRAC_W), .DEPTH(FAN_IN)) u_axon_fmt (
    .clk_i, .we_i(axf_we), .waddr_i(cfg_offset_i[AXW:1]),
    .wdata_i(cfg_wdata_i[FRAC_W-1:0]),
    .raddr_i(ax_raddr), .rdata_o(axf_rdata));
  snncore_ram #(.WIDTH(ACC_W), .DEPTH(ACC_DEPTH)) u_acc_mem (
    .clk_i, .we_i(acc_we), .waddr_i(acc_waddr), .wdata_i(acc_wdata),
    .raddr_i(acc_raddr), .rdata_o(acc_rdata));

  // ---- The synapse under the walker ----------------------------------------
  logic                     active, last, can_load, pop;
  logic signed [WEIGHT_W-1:0] mant;
  logic [NW-1:0]            target;
  logic [DW-1:0]            delay;
  logic [EXP_W-1:0]         exponent;
  logic signed [63:0]       contribution;
  logic [AMW-1:0]           syn_acc_addr, upd_acc_addr;
  // ---- The event under look-up ---------------------------------------------
  logic                     hit;
  logic [31:0]              axon_wide;
  logic [AXW-1:0]           axon;

  always_comb begin : walk
    active = row_left_q != '0;
    last   = row_left_q == (SAW+1)'(1);
    mant   = syn_rdata[WEIGHT_W-1:0];
    target = syn_rdata[WEIGHT_W+:NW];
    delay  = syn_rdata[WEIGHT_W+NW+:DW];
    exponent = syn_rdata[WEIGHT_W+NW+DW+:EXP_W];
    // weightValue(m, e) for a spike, gradedContribution(g, m, e, f) for a
    // graded event: the product |g * m| < 2^(STATE_W + WEIGHT_W - 1) never
    // saturates, the scaling by 2^(e - f) rounds and saturates.
    if (row_graded_q)
      contribution = scale_pow2(64'(row_payload_q) * 64'(mant),
                                int'(exponent) - int'(row_frac_q));
    else
      contribution = scale_pow2(64'(mant), int'(exponent));
    syn_acc_addr = {slot_i + delay, target};
    upd_acc_addr = {slot_i, upd_neuron_i};

    can_load   = (!active || last) && !clearing_q;
    ev_ready_o = can_load;
    pop        = ev_valid_i && can_load;
  end

  // Read addresses in their own assignments: the blocks below read the
  // memories' outputs.
  assign syn_raddr = (row_left_q != '0) ? row_ptr_q : cfg_offset_i[SAW-1:0];
  assign ax_raddr  = ev_valid_i ? axon : cfg_offset_i[AXW:1];
  assign acc_raddr = (row_left_q != '0) ? syn_acc_addr
                   : (upd_req_i ? upd_acc_addr : cfg_offset_i[AMW:1]);

  always_comb begin : lookup
    hit = 1'b0;
    axon_wide = '0;
    for (int i = IN_KEYS - 1; i >= 0; i--) begin
      if (kvalid_q[i] && ((ev_key_i & mask_q[i]) == (key_q[i] & mask_q[i]))) begin
        hit = 1'b1;
        axon_wide = 32'(kbase_q[i]) + (ev_key_i & ~mask_q[i]);
      end
    end
    if (axon_wide >= FAN_IN) hit = 1'b0;
    axon = axon_wide[AXW-1:0];
  end

  always_comb begin : acc_port
    upd_gnt_o = upd_req_i && !active && !clearing_q;
    upd_acc_o = acc_rdata;
    acc_we    = clearing_q || active || upd_gnt_o;
    acc_waddr = clearing_q ? clear_addr_q : acc_raddr;
    acc_wdata = (clearing_q || !active) ? '0
              : acc_rdata + ACC_W'(contribution);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin : walker
    if (!rst_ni) begin
      row_ptr_q     <= '0;
      row_left_q    <= '0;
      row_frac_q    <= '0;
      row_graded_q  <= 1'b0;
      row_payload_q <= '0;
      clearing_q    <= 1'b0;
      clear_addr_q  <= '0;
      events_q      <= '0;
      misses_q      <= '0;
      synops_q      <= '0;
    end else begin
      if (active) begin
        row_ptr_q  <= row_ptr_q + 1'b1;
        row_left_q <= row_left_q - 1'b1;
        synops_q   <= synops_q + 1;
      end
      if (pop) begin
        events_q <= events_q + 1;
        if (hit) begin
          row_ptr_q     <= axp_rdata[SAW-1:0];
          row_left_q    <= axp_rdata[2*SAW:SAW];
          row_frac_q    <= axf_rdata;
          row_graded_q  <= ev_graded_i;
          row_payload_q <= ev_payload_i;
        end else begin
          misses_q <= misses_q + 1;
        end
      end
      if (clear_i && !clearing_q) begin
        clearing_q   <= 1'b1;
        clear_addr_q <= '0;
      end else if (clearing_q) begin
        clear_addr_q <= clear_addr_q + 1'b1;
        if (clear_addr_q == AMW'(ACC_DEPTH - 1)) clearing_q <= 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin : key_table
    if (!rst_ni) begin
      for (int i = 0; i < IN_KEYS; i++) begin
        key_q[i]    <= '0;
        mask_q[i]   <= '0;
        kbase_q[i]  <= '0;
        kvalid_q[i] <= 1'b0;
      end
    end else if (cfg_keys) begin
      for (int i = 0; i < IN_KEYS; i++) begin
        if (cfg_offset_i[19:2] == 18'(i)) begin
          case (cfg_offset_i[1:0])
            2'd0: key_q[i]    <= cfg_wdata_i;
            2'd1: mask_q[i]   <= cfg_wdata_i;
            2'd2: kbase_q[i]  <= cfg_wdata_i[AXW-1:0];
            default: kvalid_q[i] <= cfg_wdata_i[0];
          endcase
        end
      end
    end
  end

  // ---- Host read-back (valid while the core is idle) -----------------------
  logic [63:0] acc64;
  assign acc64 = 64'($signed(acc_rdata));

  always_comb begin : readback
    cfg_rdata_o = '0;
    unique case (cfg_region_i)
      REG_SYN:  cfg_rdata_o = BUS_W'(syn_rdata);
      REG_AXON: begin
        if (cfg_offset_i[0]) begin
          cfg_rdata_o[FRAC_W-1:0] = axf_rdata;
        end else begin
          cfg_rdata_o[SAW-1:0]    = axp_rdata[SAW-1:0];
          cfg_rdata_o[16+:SAW+1]  = axp_rdata[2*SAW:SAW];
        end
      end
      REG_KEYS: begin
        for (int i = 0; i < IN_KEYS; i++) begin
          if (cfg_offset_i[19:2] == 18'(i)) begin
            case (cfg_offset_i[1:0])
              2'd0: cfg_rdata_o = key_q[i];
              2'd1: cfg_rdata_o = mask_q[i];
              2'd2: cfg_rdata_o = BUS_W'(kbase_q[i]);
              default: cfg_rdata_o = BUS_W'(kvalid_q[i]);
            endcase
          end
        end
      end
      REG_ACC: cfg_rdata_o = cfg_offset_i[0] ? acc64[63:32] : acc64[31:0];
      default: cfg_rdata_o = '0;
    endcase
  end

  assign busy_o   = active || clearing_q || ev_valid_i;
  assign events_o = events_q;
  assign misses_o = misses_q;
  assign synops_o = synops_q;
endmodule
