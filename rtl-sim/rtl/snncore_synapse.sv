// snncore_synapse: the synapse path of a core (docs/rtl-core.md §4, §6).
// An input event (key, graded flag, payload) is looked up in the input key
// table, which gives an axon; the axon table gives the axon's row of
// synapse words and the source's frac_bits; the row walker then reads
// LANES consecutive synapse words a cycle (the synapse memory is LANES
// banks, word a in bank a mod LANES) and adds each synapse's contribution
// into the accumulator of (current slot + synaptic delay, target neuron),
// wrapping modulo 2^ACC_W like fixedpoint::accumulate(). The accumulators
// are BANKS banks by target neuron (bank_of()); in a cycle each bank takes
// one synapse, a lane whose bank a lower lane uses waits for the next
// cycle, and the group moves on when all its lanes are done. Wrapping
// addition is order-free, so the result is that of one synapse at a time.
// The next event is looked up in the cycle that finishes a row's last
// group, so back-to-back events lose no cycle. The neuron update reads and
// clears one accumulator through the upd_* port, granted in any cycle the
// walker leaves that neuron's bank free.
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
  // Synapse words walked a cycle (a power of two, 2..SYN_WORDS/2) and
  // accumulator banks (a power of two, 2..NEURONS/2).
  parameter int unsigned LANES       = snncore_pkg::CFG_SYN_LANES,
  parameter int unsigned BANKS       = snncore_pkg::CFG_ACC_BANKS,
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
  // neuron updates: read and clear acc[slot_i][upd_neuron_i] and, in the
  // same cycle, acc[slot_i][upd2_neuron_i] (granted only with the first,
  // in another bank). upd_sel_i: the update ports own the banks they
  // address (a pipeline is running), so their read data is valid before
  // the requests, which may depend on it.
  input  logic                      upd_sel_i,
  input  logic                      upd_req_i,
  input  logic [NW-1:0]             upd_neuron_i,
  output logic                      upd_gnt_o,
  output logic signed [ACC_W-1:0]   upd_acc_o,
  input  logic                      upd2_req_i,
  input  logic [NW-1:0]             upd2_neuron_i,
  output logic                      upd2_gnt_o,
  output logic signed [ACC_W-1:0]   upd2_acc_o,
  // status and activity counts
  output logic                      busy_o,
  output logic [31:0]               events_o,
  output logic [31:0]               misses_o,
  output logic [31:0]               synops_o
);
  localparam int unsigned ACC_DEPTH = DELAY_SLOTS * NEURONS;
  localparam int unsigned AMW = $clog2(ACC_DEPTH);
  // Synapse memory: LANES banks, word a in bank a mod LANES at a / LANES.
  localparam int unsigned SYN_BANK_DEPTH = SYN_WORDS / LANES;
  localparam int unsigned SBW = $clog2(SYN_BANK_DEPTH);
  // Accumulators: BANKS banks, neuron n's slots in bank bank_of(n) at
  // {slot, n / BANKS}.
  localparam int unsigned ACC_BANK_DEPTH = ACC_DEPTH / BANKS;
  localparam int unsigned ABW = $clog2(ACC_BANK_DEPTH);
  localparam int unsigned BB  = $clog2(BANKS);
  localparam int unsigned NPB = NW - BB;   // neuron bits within a bank

  // The accumulator bank of neuron n: its bits folded by XOR in groups of
  // BB, so that rows whose targets step by a power of two (the channels of
  // a convolution) still spread over the banks. With n / BANKS it gives n
  // back, so every (bank, address) holds one neuron.
  function automatic logic [BB-1:0] bank_of(input logic [NW-1:0] n);
    logic [BB-1:0] b;
    b = '0;
    for (int i = 0; i < NW; i += BB) b = b ^ BB'(n >> i);
    return b;
  endfunction

  // ---- Input key table ---------------------------------------------------
  logic [31:0]    key_q   [IN_KEYS];
  logic [31:0]    mask_q  [IN_KEYS];
  logic [AXW-1:0] kbase_q [IN_KEYS];
  logic           kvalid_q[IN_KEYS];

  // ---- Row walker state ----------------------------------------------------
  logic [SAW-1:0]           row_ptr_q;     // first word of the current group
  logic [SAW:0]             row_left_q;    // words left in the row
  logic [LANES-1:0]         pending_q;     // lanes of the group not yet added
  logic [FRAC_W-1:0]        row_frac_q;
  logic                     row_graded_q;
  logic signed [STATE_W-1:0] row_payload_q;
  logic                     clearing_q;
  logic [ABW-1:0]           clear_addr_q;
  logic [31:0]              events_q, misses_q, synops_q;

  // ---- Memories ------------------------------------------------------------
  logic                 axp_we, axf_we;
  logic [SBW-1:0]       syn_raddr [LANES];
  logic [SYN_WW-1:0]    syn_rdata [LANES];
  logic [AXW-1:0]       ax_raddr;
  logic [2*SAW:0]       axp_rdata;         // {count, base}
  logic [FRAC_W-1:0]    axf_rdata;         // frac
  logic                 acc_we    [BANKS];
  logic [ABW-1:0]       acc_raddr [BANKS];
  logic [ABW-1:0]       acc_waddr [BANKS];
  logic [ACC_W-1:0]     acc_rdata [BANKS];
  logic [ACC_W-1:0]     acc_wdata [BANKS];

  wire cfg_syn  = cfg_we_i && cfg_region_i == REG_SYN;
  wire cfg_axon = cfg_we_i && cfg_region_i == REG_AXON;
  wire cfg_keys = cfg_we_i && cfg_region_i == REG_KEYS;

  assign axp_we = cfg_axon && !cfg_offset_i[0];
  assign axf_we = cfg_axon && cfg_offset_i[0];

  // The host's synapse word: bank and row.
  logic [SAW-1:0] cfg_syn_addr;
  assign cfg_syn_addr = cfg_offset_i[SAW-1:0];

  for (genvar j = 0; j < LANES; j++) begin : g_syn_bank
    snncore_ram #(.WIDTH(SYN_WW), .DEPTH(SYN_BANK_DEPTH)) u_syn_mem (
      .clk_i, .we_i(cfg_syn && 32'(cfg_syn_addr) % LANES == j),
      .waddr_i(SBW'(32'(cfg_syn_addr) / LANES)),
      .wdata_i(cfg_wdata_i[SYN_WW-1:0]), .raddr_i(syn_raddr[j]),
      .rdata_o(syn_rdata[j]));
  end
  snncore_ram #(.WIDTH(2*SAW+1), .DEPTH(FAN_IN)) u_axon_ptr (
    .clk_i, .we_i(axp_we), .waddr_i(cfg_offset_i[AXW:1]),
    .wdata_i({cfg_wdata_i[16+:SAW+1], cfg_wdata_i[SAW-1:0]}),
    .raddr_i(ax_raddr), .rdata_o(axp_rdata));
  snncore_ram #(.WIDTH(FRAC_W), .DEPTH(FAN_IN)) u_axon_fmt (
    .clk_i, .we_i(axf_we), .waddr_i(cfg_offset_i[AXW:1]),
    .wdata_i(cfg_wdata_i[FRAC_W-1:0]),
    .raddr_i(ax_raddr), .rdata_o(axf_rdata));
  for (genvar j = 0; j < BANKS; j++) begin : g_acc_bank
    snncore_ram #(.WIDTH(ACC_W), .DEPTH(ACC_BANK_DEPTH)) u_acc_mem (
      .clk_i, .we_i(acc_we[j]), .waddr_i(acc_waddr[j]),
      .wdata_i(acc_wdata[j]), .raddr_i(acc_raddr[j]), .rdata_o(acc_rdata[j]));
  end

  // ---- The group of synapses under the walker --------------------------------
  logic                     active, group_done, last, can_load, pop;
  logic [SAW-1:0]           lane_addr [LANES];
  logic [SYN_WW-1:0]        lane_word [LANES];
  logic [LANES-1:0]         lane_valid, lane_issue;
  logic [BB-1:0]            lane_bank [LANES];
  logic [ABW-1:0]           lane_acc  [LANES];
  logic signed [63:0]       lane_contrib [LANES];
  logic [$clog2(LANES+1)-1:0] issued;
  logic signed [WEIGHT_W-1:0] mant;
  logic [NW-1:0]            target;
  logic [DW-1:0]            delay;
  logic [EXP_W-1:0]         exponent;
  logic [SAW:0]             step_words;
  // ---- The event under look-up ---------------------------------------------
  logic                     hit;
  logic [31:0]              axon_wide;
  logic [AXW-1:0]           axon;

  // Addresses first, in their own blocks: the blocks below read the
  // memories' outputs.
  assign active = row_left_q != '0;
  always_comb begin : lane_addresses
    for (int l = 0; l < LANES; l++) lane_addr[l] = row_ptr_q + SAW'(l);
  end

  always_comb begin : walk
    issued = '0;
    for (int l = 0; l < LANES; l++) begin
      lane_word[l] = syn_rdata[32'(lane_addr[l]) % LANES];
      mant     = lane_word[l][WEIGHT_W-1:0];
      target   = lane_word[l][WEIGHT_W+:NW];
      delay    = lane_word[l][WEIGHT_W+NW+:DW];
      exponent = lane_word[l][WEIGHT_W+NW+DW+:EXP_W];
      // weightValue(m, e) for a spike, gradedContribution(g, m, e, f) for
      // a graded event: the product |g * m| < 2^(STATE_W + WEIGHT_W - 1)
      // never saturates, the scaling by 2^(e - f) rounds and saturates.
      if (row_graded_q)
        lane_contrib[l] = scale_pow2(64'(row_payload_q) * 64'(mant),
                                     int'(exponent) - int'(row_frac_q));
      else
        lane_contrib[l] = scale_pow2(64'(mant), int'(exponent));
      lane_bank[l] = bank_of(target);
      lane_acc[l]  = {DW'(slot_i + delay), NPB'(32'(target) / BANKS)};
      lane_valid[l] = pending_q[l] && (SAW+1)'(l) < row_left_q;
    end
    // A lane adds its synapse unless a lower lane still to add uses the
    // same accumulator bank (it waits for a later cycle).
    for (int l = 0; l < LANES; l++) begin
      lane_issue[l] = lane_valid[l];
      for (int k = 0; k < l; k++)
        if (lane_valid[k] && lane_bank[k] == lane_bank[l])
          lane_issue[l] = 1'b0;
      issued = issued + $bits(issued)'(lane_issue[l]);
    end
    group_done = (lane_valid & ~lane_issue) == '0;
    step_words = (row_left_q < (SAW+1)'(LANES)) ? row_left_q
                                                : (SAW+1)'(LANES);
    last = active && group_done && row_left_q <= (SAW+1)'(LANES);

    can_load   = (!active || last) && !clearing_q;
    ev_ready_o = can_load;
    pop        = ev_valid_i && can_load;
  end

  // Each synapse bank reads the word of the lane that falls into it, or the
  // host's word while the walker is idle.
  always_comb begin : syn_read
    for (int j = 0; j < LANES; j++) begin
      syn_raddr[j] = SBW'(32'(cfg_syn_addr) / LANES);
      if (active)
        for (int l = 0; l < LANES; l++)
          if (32'(lane_addr[l]) % LANES == j)
            syn_raddr[j] = SBW'(32'(lane_addr[l]) / LANES);
    end
  end
  assign ax_raddr = ev_valid_i ? axon : cfg_offset_i[AXW:1];

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

  // ---- Accumulator banks: the walker's lanes first, then the update port
  // (granted when the walker leaves its neuron's bank free), then the host.
  logic [BB-1:0]   upd_bank, upd2_bank, cfg_bank;
  logic [ABW-1:0]  upd_addr, upd2_addr, cfg_acc_addr;
  logic [AMW-1:0]  cfg_acc_index;
  logic [BANKS-1:0] bank_walk;
  logic signed [63:0] bank_contrib [BANKS];
  always_comb begin : acc_address
    upd_bank      = bank_of(upd_neuron_i);
    upd_addr      = {slot_i, NPB'(32'(upd_neuron_i) / BANKS)};
    upd2_bank     = bank_of(upd2_neuron_i);
    upd2_addr     = {slot_i, NPB'(32'(upd2_neuron_i) / BANKS)};
    cfg_acc_index = cfg_offset_i[AMW:1];   // slot * NEURONS + neuron
    cfg_bank      = bank_of(cfg_acc_index[NW-1:0]);
    cfg_acc_addr  = {cfg_acc_index[AMW-1:NW],
                     NPB'(32'(cfg_acc_index[NW-1:0]) / BANKS)};
    for (int j = 0; j < BANKS; j++) begin
      bank_walk[j] = 1'b0;
      bank_contrib[j] = '0;
      acc_raddr[j] = cfg_acc_addr;
      if (upd_sel_i && upd2_bank == BB'(j)) acc_raddr[j] = upd2_addr;
      if (upd_sel_i && upd_bank == BB'(j))  acc_raddr[j] = upd_addr;
      for (int l = 0; l < LANES; l++)
        if (active && lane_issue[l] && lane_bank[l] == BB'(j)) begin
          bank_walk[j] = 1'b1;
          bank_contrib[j] = lane_contrib[l];
          acc_raddr[j] = lane_acc[l];
        end
    end
  end

  // Grants in a block of their own: a request may depend on the read data.
  always_comb begin : acc_grant
    upd_gnt_o  = upd_req_i && !clearing_q && !bank_walk[upd_bank];
    upd2_gnt_o = upd2_req_i && upd_gnt_o && upd2_bank != upd_bank &&
                 !bank_walk[upd2_bank];
    for (int j = 0; j < BANKS; j++) begin
      acc_we[j]    = clearing_q || bank_walk[j]
                  || (upd_gnt_o && upd_bank == BB'(j))
                  || (upd2_gnt_o && upd2_bank == BB'(j));
      acc_waddr[j] = clearing_q ? clear_addr_q : acc_raddr[j];
    end
  end

  always_comb begin : acc_data
    upd_acc_o  = acc_rdata[upd_bank];
    upd2_acc_o = acc_rdata[upd2_bank];
    for (int j = 0; j < BANKS; j++) begin
      acc_wdata[j] = (clearing_q || !bank_walk[j]) ? '0
                   : acc_rdata[j] + ACC_W'(bank_contrib[j]);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin : walker
    if (!rst_ni) begin
      row_ptr_q     <= '0;
      row_left_q    <= '0;
      pending_q     <= '1;
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
        synops_q <= synops_q + 32'(issued);
        if (group_done) begin
          row_ptr_q  <= row_ptr_q + SAW'(LANES);
          row_left_q <= row_left_q - step_words;
          pending_q  <= '1;
        end else begin
          pending_q  <= pending_q & ~lane_issue;
        end
      end
      if (pop) begin
        events_q <= events_q + 1;
        if (hit) begin
          row_ptr_q     <= axp_rdata[SAW-1:0];
          row_left_q    <= axp_rdata[2*SAW:SAW];
          pending_q     <= '1;
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
        if (clear_addr_q == ABW'(ACC_BANK_DEPTH - 1)) clearing_q <= 1'b0;
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
  assign acc64 = 64'($signed(acc_rdata[cfg_bank]));

  always_comb begin : readback
    cfg_rdata_o = '0;
    unique case (cfg_region_i)
      REG_SYN:  cfg_rdata_o = BUS_W'(syn_rdata[32'(cfg_syn_addr) % LANES]);
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
