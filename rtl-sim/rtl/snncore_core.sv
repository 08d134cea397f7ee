// snncore_core: one neuromorphic core (docs/rtl-core.md). All neuron state
// and parameters live in memories; one time-multiplexed pipeline either
// walks one synapse (snncore_synapse) or updates one neuron
// (snncore_neuron) a cycle, synaptic events first, so that a full input
// FIFO never waits on a full output FIFO. A step is run as phases: on
// phase_go_i the core updates its neurons [lo, hi) of that phase, emitting
// an output event for each spike or nonzero graded value; step_end_i moves
// the delay ring to the next slot. A PoissonSource neuron (P0 bit 8) waits
// for its count from the Poisson unit (snncore_poisson), a few cycles.
module snncore_core
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
  parameter int unsigned MAX_PHASES  = snncore_pkg::CFG_MAX_PHASES,
  parameter int unsigned FIFO_DEPTH  = snncore_pkg::CFG_FIFO_DEPTH,
  parameter int unsigned POIS_WORDS  = snncore_pkg::CFG_POIS_WORDS,
  parameter int unsigned LANES       = snncore_pkg::CFG_SYN_LANES,
  parameter int unsigned BANKS       = snncore_pkg::CFG_ACC_BANKS,
  localparam int unsigned NW  = $clog2(NEURONS),
  localparam int unsigned DW  = $clog2(DELAY_SLOTS),
  localparam int unsigned PW  = $clog2(MAX_PHASES),
  localparam int unsigned TW  = $clog2(POIS_WORDS),
  localparam int unsigned EV_W = 33 + STATE_W   // {graded, payload, key}
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // host configuration, decoded by the chip: region [23:20], offset [19:0]
  input  logic               cfg_we_i,
  input  logic [3:0]         cfg_region_i,
  input  logic [19:0]        cfg_offset_i,
  input  logic [BUS_W-1:0]   cfg_wdata_i,
  output logic [BUS_W-1:0]   cfg_rdata_o,
  // AER input events (router packets) and output events
  input  logic               in_valid_i,
  output logic               in_ready_o,
  input  logic [EV_W-1:0]    in_event_i,
  output logic               out_valid_o,
  input  logic               out_ready_i,
  output logic [EV_W-1:0]    out_event_o,
  // timestep handshake
  input  logic               phase_go_i,
  input  logic [PW-1:0]      phase_i,
  input  logic               step_end_i,
  output logic               busy_o,
  // every output event as it is emitted (recording; no back-pressure)
  output logic               mon_valid_o,
  output logic [NW-1:0]      mon_neuron_o,
  output logic               mon_graded_o,
  output logic signed [STATE_W-1:0] mon_payload_o
);
  // ---- Control registers ----------------------------------------------------
  logic [31:0]   key_q;
  logic [DW-1:0] slot_q;
  logic [31:0]   updates_q, emitted_q, steps_q;
  logic [63:0]   tstep_q;   // the step number Poisson draws use
  logic          upd_active_q;
  logic [NW:0]   ph_lo_q [MAX_PHASES];
  logic [NW:0]   ph_hi_q [MAX_PHASES];
  logic          clear_acc;

  wire cfg_ctrl  = cfg_we_i && cfg_region_i == REG_CTRL;
  wire cfg_phase = cfg_we_i && cfg_region_i == REG_PHASE;
  wire cfg_param = cfg_we_i && cfg_region_i == REG_PARAM;
  wire cfg_state = cfg_we_i && cfg_region_i == REG_STATE;
  wire cfg_pois  = cfg_we_i && cfg_region_i == REG_POIS;

  // ---- Input FIFO and synapse path -------------------------------------------
  logic              ev_valid, ev_ready, in_empty;
  logic [EV_W-1:0]   ev;
  logic              upd_req, upd_gnt;
  logic signed [ACC_W-1:0] upd_acc;
  logic              syn_busy;
  logic [31:0]       syn_rdata, events, misses, synops;
  logic [NW-1:0]     upd_n_q;

  snncore_fifo #(.WIDTH(EV_W), .DEPTH(FIFO_DEPTH)) u_in_fifo (
    .clk_i, .rst_ni, .wvalid_i(in_valid_i), .wready_o(in_ready_o),
    .wdata_i(in_event_i), .rvalid_o(ev_valid), .rready_i(ev_ready),
    .rdata_o(ev), .empty_o(in_empty));

  snncore_synapse #(
    .NEURONS(NEURONS), .SYN_WORDS(SYN_WORDS), .FAN_IN(FAN_IN),
    .DELAY_SLOTS(DELAY_SLOTS), .WEIGHT_W(WEIGHT_W), .STATE_W(STATE_W),
    .ACC_W(ACC_W), .IN_KEYS(IN_KEYS), .LANES(LANES), .BANKS(BANKS)
  ) u_synapse (
    .clk_i, .rst_ni,
    .ev_valid_i(ev_valid), .ev_ready_o(ev_ready), .ev_key_i(ev[31:0]),
    .ev_graded_i(ev[EV_W-1]), .ev_payload_i(ev[32+:STATE_W]),
    .slot_i(slot_q),
    .cfg_we_i, .cfg_region_i, .cfg_offset_i, .cfg_wdata_i,
    .cfg_rdata_o(syn_rdata), .clear_i(clear_acc),
    .upd_req_i(upd_req), .upd_neuron_i(upd_n_q), .upd_gnt_o(upd_gnt),
    .upd_acc_o(upd_acc),
    .busy_o(syn_busy), .events_o(events), .misses_o(misses), .synops_o(synops));

  // ---- Parameter and state memories (one memory per host word) ---------------
  // P0: {poisson, syn_first, timing, ge, subtract, kind}
  localparam int unsigned P0_W = 9;
  logic [NW-1:0]   mem_raddr, st_waddr;
  logic            st_we;
  logic [P0_W-1:0]         p0;
  logic [DECAY_W-1:0]      p_du, p_dv;
  logic [31:0]             p_ub, p_vb;
  logic [STATE_W-1:0]      p_th, p_vr, s_v, s_u, n_v, n_u, w_v, w_u;
  logic                    s_spk, n_spk, w_spk;
  logic [NW-1:0]           cfg_n_param, cfg_n_state;
  logic [2:0]              cfg_w_param;
  logic [1:0]              cfg_w_state;

  assign cfg_n_param = cfg_offset_i[3+:NW];
  assign cfg_w_param = cfg_offset_i[2:0];
  assign cfg_n_state = cfg_offset_i[2+:NW];
  assign cfg_w_state = cfg_offset_i[1:0];
  // The host reads only while the core is idle.
  assign mem_raddr = upd_active_q ? upd_n_q
                   : (cfg_region_i == REG_PARAM ? cfg_n_param : cfg_n_state);

  snncore_ram #(.WIDTH(P0_W), .DEPTH(NEURONS)) u_p0 (.clk_i,
    .we_i(cfg_param && cfg_w_param == 3'd0), .waddr_i(cfg_n_param),
    .wdata_i(cfg_wdata_i[P0_W-1:0]), .raddr_i(mem_raddr), .rdata_o(p0));
  snncore_ram #(.WIDTH(DECAY_W), .DEPTH(NEURONS)) u_p1 (.clk_i,
    .we_i(cfg_param && cfg_w_param == 3'd1), .waddr_i(cfg_n_param),
    .wdata_i(cfg_wdata_i[DECAY_W-1:0]), .raddr_i(mem_raddr), .rdata_o(p_du));
  snncore_ram #(.WIDTH(DECAY_W), .DEPTH(NEURONS)) u_p2 (.clk_i,
    .we_i(cfg_param && cfg_w_param == 3'd2), .waddr_i(cfg_n_param),
    .wdata_i(cfg_wdata_i[DECAY_W-1:0]), .raddr_i(mem_raddr), .rdata_o(p_dv));
  snncore_ram #(.WIDTH(32), .DEPTH(NEURONS)) u_p3 (.clk_i,
    .we_i(cfg_param && cfg_w_param == 3'd3), .waddr_i(cfg_n_param),
    .wdata_i(cfg_wdata_i), .raddr_i(mem_raddr), .rdata_o(p_ub));
  snncore_ram #(.WIDTH(32), .DEPTH(NEURONS)) u_p4 (.clk_i,
    .we_i(cfg_param && cfg_w_param == 3'd4), .waddr_i(cfg_n_param),
    .wdata_i(cfg_wdata_i), .raddr_i(mem_raddr), .rdata_o(p_vb));
  snncore_ram #(.WIDTH(STATE_W), .DEPTH(NEURONS)) u_p5 (.clk_i,
    .we_i(cfg_param && cfg_w_param == 3'd5), .waddr_i(cfg_n_param),
    .wdata_i(cfg_wdata_i[STATE_W-1:0]), .raddr_i(mem_raddr), .rdata_o(p_th));
  snncore_ram #(.WIDTH(STATE_W), .DEPTH(NEURONS)) u_p6 (.clk_i,
    .we_i(cfg_param && cfg_w_param == 3'd6), .waddr_i(cfg_n_param),
    .wdata_i(cfg_wdata_i[STATE_W-1:0]), .raddr_i(mem_raddr), .rdata_o(p_vr));

  // State: written by the update or the host (the host only while idle).
  assign st_we    = upd_gnt || cfg_state;
  assign st_waddr = upd_gnt ? upd_n_q : cfg_n_state;
  assign w_v   = upd_gnt ? n_v : cfg_wdata_i[STATE_W-1:0];
  assign w_u   = upd_gnt ? n_u : cfg_wdata_i[STATE_W-1:0];
  assign w_spk = upd_gnt ? n_spk : cfg_wdata_i[0];
  snncore_ram #(.WIDTH(STATE_W), .DEPTH(NEURONS)) u_sv (.clk_i,
    .we_i(st_we && (upd_gnt || cfg_w_state == 2'd0)), .waddr_i(st_waddr),
    .wdata_i(w_v), .raddr_i(mem_raddr), .rdata_o(s_v));
  snncore_ram #(.WIDTH(STATE_W), .DEPTH(NEURONS)) u_su (.clk_i,
    .we_i(st_we && (upd_gnt || cfg_w_state == 2'd1)), .waddr_i(st_waddr),
    .wdata_i(w_u), .raddr_i(mem_raddr), .rdata_o(s_u));
  snncore_ram #(.WIDTH(1), .DEPTH(NEURONS)) u_ss (.clk_i,
    .we_i(st_we && (upd_gnt || cfg_w_state == 2'd2)), .waddr_i(st_waddr),
    .wdata_i(w_spk), .raddr_i(mem_raddr), .rdata_o(s_spk));

  // ---- The neuron unit and the Poisson unit ------------------------------------
  logic emit, graded, c_emit, c_graded, c_spk;
  logic [STATE_W-1:0] payload, c_v, c_payload;
  snncore_neuron #(.STATE_W(STATE_W), .ACC_W(ACC_W)) u_neuron (
    .kind_i(p0[2:0]), .subtract_i(p0[3]), .ge_i(p0[4]), .timing_i(p0[6:5]),
    .syn_first_i(p0[7]), .decay_u_i(p_du), .decay_v_i(p_dv),
    .u_bias_i(p_ub), .v_bias_i(p_vb), .threshold_i(p_th), .v_reset_i(p_vr),
    .v_i(s_v), .u_i(s_u), .spiked_i(s_spk), .acc_i(upd_acc),
    .v_o(c_v), .u_o(n_u), .spiked_o(c_spk), .emit_o(c_emit),
    .graded_o(c_graded), .payload_o(c_payload));

  // A PoissonSource neuron reuses its parameter words (§3.1): P1 the first
  // threshold of its table, P2 the table's size, P3/P4 the Philox key, P5
  // its index in the population, P6 the count below every threshold.
  logic               pois, pois_done, pois_busy;
  logic [STATE_W-1:0] pois_count;
  logic [31:0]        pois_rdata;
  assign pois = p0[8];
  snncore_poisson #(.TABLE_WORDS(POIS_WORDS), .STATE_W(STATE_W)) u_poisson (
    .clk_i, .rst_ni,
    .cfg_we_i(cfg_pois), .cfg_addr_i(cfg_offset_i[TW-1:0]),
    .cfg_wdata_i(cfg_wdata_i), .cfg_rdata_o(pois_rdata),
    .req_i(upd_active_q && pois), .key_i({p_vb, p_ub}),
    .index_i(32'(p_th)), .step_i(tstep_q),
    .base_i(TW'(p_du)), .size_i((TW+1)'(p_dv)), .first_i(p_vr),
    .flush_i(phase_go_i), .ack_i(upd_gnt && pois), .done_o(pois_done),
    .count_o(pois_count), .busy_o(pois_busy));

  // Its output: the count as its state and as a graded event (the CPU
  // engine delivers count x weight), nothing when the count is 0.
  assign n_v     = pois ? pois_count : c_v;
  assign n_spk   = pois ? (pois_count != '0) : c_spk;
  assign emit    = pois ? (pois_count != '0) : c_emit;
  assign graded  = pois ? 1'b1 : c_graded;
  assign payload = pois ? pois_count : c_payload;

  // ---- Update sequencer and output FIFO ------------------------------------------
  logic [NW:0]   upd_end_q;
  logic          out_wready, out_empty, push;
  logic [EV_W-1:0] out_word;

  // Waits for room in the output FIFO before it takes the accumulator, so
  // that a granted update always completes.
  assign upd_req  = upd_active_q && out_wready && (!pois || pois_done);
  assign push     = upd_gnt && emit;
  assign out_word = {graded, payload, key_q | 32'(upd_n_q)};

  snncore_fifo #(.WIDTH(EV_W), .DEPTH(FIFO_DEPTH)) u_out_fifo (
    .clk_i, .rst_ni, .wvalid_i(push), .wready_o(out_wready),
    .wdata_i(out_word), .rvalid_o(out_valid_o), .rready_i(out_ready_i),
    .rdata_o(out_event_o), .empty_o(out_empty));

  always_ff @(posedge clk_i or negedge rst_ni) begin : sequencer
    if (!rst_ni) begin
      upd_active_q <= 1'b0;
      upd_n_q      <= '0;
      upd_end_q    <= '0;
      slot_q       <= '0;
      updates_q    <= '0;
      emitted_q    <= '0;
      steps_q      <= '0;
      tstep_q      <= '0;
    end else begin
      if (phase_go_i) begin
        upd_n_q      <= ph_lo_q[phase_i][NW-1:0];
        upd_end_q    <= ph_hi_q[phase_i];
        upd_active_q <= ph_lo_q[phase_i] < ph_hi_q[phase_i];
      end else if (upd_gnt) begin
        upd_n_q   <= upd_n_q + 1'b1;
        updates_q <= updates_q + 1;
        if ((NW+1)'(upd_n_q) + 1'b1 >= upd_end_q) upd_active_q <= 1'b0;
      end
      if (push) emitted_q <= emitted_q + 1;
      if (step_end_i) begin
        slot_q  <= slot_q + 1'b1;
        steps_q <= steps_q + 1;
        tstep_q <= tstep_q + 1;
      end
      if (cfg_ctrl && cfg_offset_i == 20'd11) tstep_q[31:0]  <= cfg_wdata_i;
      if (cfg_ctrl && cfg_offset_i == 20'd12) tstep_q[63:32] <= cfg_wdata_i;
      if (cfg_ctrl && cfg_offset_i == 20'd1) slot_q <= cfg_wdata_i[DW-1:0];
      if (cfg_ctrl && cfg_offset_i == 20'd8 && cfg_wdata_i[1]) begin
        updates_q <= '0;
        emitted_q <= '0;
        steps_q   <= '0;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin : registers
    if (!rst_ni) begin
      key_q <= '0;
      for (int i = 0; i < MAX_PHASES; i++) begin
        ph_lo_q[i] <= '0;
        ph_hi_q[i] <= '0;
      end
    end else begin
      if (cfg_ctrl && cfg_offset_i == 20'd0) key_q <= cfg_wdata_i;
      if (cfg_phase) begin
        for (int i = 0; i < MAX_PHASES; i++) begin
          if (cfg_offset_i == 20'(i)) begin
            ph_lo_q[i] <= cfg_wdata_i[NW:0];
            ph_hi_q[i] <= cfg_wdata_i[16+:NW+1];
          end
        end
      end
    end
  end

  assign clear_acc = cfg_ctrl && cfg_offset_i == 20'd8 && cfg_wdata_i[0];

  // ---- Host read-back ----------------------------------------------------------
  always_comb begin : readback
    cfg_rdata_o = '0;
    unique case (cfg_region_i)
      REG_CTRL: begin
        case (cfg_offset_i)
          20'd0: cfg_rdata_o = key_q;
          20'd1: cfg_rdata_o = 32'(slot_q);
          20'd2: cfg_rdata_o = events;
          20'd3: cfg_rdata_o = misses;
          20'd4: cfg_rdata_o = synops;
          20'd5: cfg_rdata_o = updates_q;
          20'd6: cfg_rdata_o = emitted_q;
          20'd7: cfg_rdata_o = steps_q;
          20'd9: cfg_rdata_o = {31'd0, busy_o};
          20'd10: cfg_rdata_o = {8'(NW), 8'(DW), 8'(STATE_W), 8'(WEIGHT_W)};
          20'd11: cfg_rdata_o = tstep_q[31:0];
          20'd12: cfg_rdata_o = tstep_q[63:32];
          20'd13: cfg_rdata_o = 32'(POIS_WORDS);
          20'd14: cfg_rdata_o = {16'd0, 8'(BANKS), 8'(LANES)};
          default: cfg_rdata_o = '0;
        endcase
      end
      REG_PARAM: begin
        case (cfg_w_param)
          3'd0: cfg_rdata_o = 32'(p0);
          3'd1: cfg_rdata_o = 32'(p_du);
          3'd2: cfg_rdata_o = 32'(p_dv);
          3'd3: cfg_rdata_o = p_ub;
          3'd4: cfg_rdata_o = p_vb;
          3'd5: cfg_rdata_o = 32'($signed(p_th));
          3'd6: cfg_rdata_o = 32'($signed(p_vr));
          default: cfg_rdata_o = '0;
        endcase
      end
      REG_STATE: begin
        case (cfg_w_state)
          2'd0: cfg_rdata_o = 32'($signed(s_v));
          2'd1: cfg_rdata_o = 32'($signed(s_u));
          2'd2: cfg_rdata_o = 32'(s_spk);
          default: cfg_rdata_o = '0;
        endcase
      end
      REG_POIS: cfg_rdata_o = pois_rdata;
      REG_PHASE: begin
        for (int i = 0; i < MAX_PHASES; i++) begin
          if (cfg_offset_i == 20'(i))
            cfg_rdata_o = (32'(ph_hi_q[i]) << 16) | 32'(ph_lo_q[i]);
        end
      end
      default: cfg_rdata_o = syn_rdata;
    endcase
  end

  assign busy_o = upd_active_q || syn_busy || pois_busy || !in_empty ||
                  !out_empty;

  assign mon_valid_o   = push;
  assign mon_neuron_o  = upd_n_q;
  assign mon_graded_o  = graded;
  assign mon_payload_o = payload;
endmodule
