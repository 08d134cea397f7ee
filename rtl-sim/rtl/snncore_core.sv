// snncore_core: one neuromorphic core (docs/rtl-core.md). All neuron state
// and parameters live in memories. Each cycle the synapse path
// (snncore_synapse) walks up to LANES synapses and, in the accumulator
// banks it leaves free, the update sequencer updates one or two
// neighbouring neurons (two snncore_neuron units over parameter and state
// memories banked by neuron parity); synaptic events go first, so that a
// full input FIFO never waits on a full output FIFO. A step is run as phases: on
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
  logic              upd_req, upd_gnt, upd2_req, upd2_gnt;
  logic signed [ACC_W-1:0] upd_acc, upd2_acc;
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
    .upd_sel_i(upd_active_q),
    .upd_req_i(upd_req), .upd_neuron_i(upd_n_q), .upd_gnt_o(upd_gnt),
    .upd_acc_o(upd_acc),
    .upd2_req_i(upd2_req), .upd2_neuron_i(upd_n_q + 1'b1),
    .upd2_gnt_o(upd2_gnt), .upd2_acc_o(upd2_acc),
    .busy_o(syn_busy), .events_o(events), .misses_o(misses), .synops_o(synops));

  // ---- Parameter and state memories: two banks by neuron parity, one memory
  // a host word in each, so that two neighbouring neurons are read and
  // written in one cycle. Lane 0 is neuron upd_n_q, lane 1 upd_n_q + 1.
  // P0: {poisson, syn_first, timing, ge, subtract, kind}
  localparam int unsigned P0_W = 9;
  localparam int unsigned HALF = NEURONS / 2;
  localparam int unsigned HW = NW - 1;
  // {P0, P1, P2, P3, P4, P5, P6} and {S0, S1, S2} of one neuron.
  localparam int unsigned PAR_W = P0_W + 2 * DECAY_W + 64 + 2 * STATE_W;
  localparam int unsigned ST_W  = 2 * STATE_W + 1;
  logic [NW-1:0]    lane_n [2];
  logic [NW-1:0]    cfg_n_param, cfg_n_state, cfg_n;
  logic [2:0]       cfg_w_param;
  logic [1:0]       cfg_w_state;
  logic [PAR_W-1:0] par_rd [2];      // by bank
  logic [ST_W-1:0]  st_rd  [2];
  logic [ST_W-1:0]  st_new [2];      // by lane
  logic             gnt    [2];      // by lane
  logic [PAR_W-1:0] host_par;
  logic [ST_W-1:0]  host_st;

  assign lane_n[0]   = upd_n_q;
  assign lane_n[1]   = upd_n_q + 1'b1;
  assign cfg_n_param = cfg_offset_i[3+:NW];
  assign cfg_w_param = cfg_offset_i[2:0];
  assign cfg_n_state = cfg_offset_i[2+:NW];
  assign cfg_w_state = cfg_offset_i[1:0];
  assign cfg_n       = cfg_region_i == REG_PARAM ? cfg_n_param : cfg_n_state;

  for (genvar b = 0; b < 2; b++) begin : g_bank
    // The lane whose neuron has this parity (the two lanes never share one).
    logic          lane;
    logic [HW-1:0] raddr, st_waddr;
    logic          wpar, st_upd;
    logic [ST_W-1:0] st_w;
    logic [P0_W-1:0]    p0;
    logic [DECAY_W-1:0] du, dv;
    logic [31:0]        ub, vb;
    logic [STATE_W-1:0] th, vr, sv, su;
    logic               ss;
    assign lane  = lane_n[0][0] != 1'(b);
    // The host reads only while the core is idle.
    assign raddr = upd_active_q ? lane_n[lane][NW-1:1] : cfg_n[NW-1:1];
    assign wpar  = cfg_param && cfg_n_param[0] == 1'(b);
    assign st_upd   = gnt[lane];
    assign st_waddr = st_upd ? lane_n[lane][NW-1:1] : cfg_n_state[NW-1:1];
    assign st_w     = st_upd ? st_new[lane]
                    : {cfg_wdata_i[STATE_W-1:0], cfg_wdata_i[STATE_W-1:0],
                       cfg_wdata_i[0]};
    wire st_host = cfg_state && cfg_n_state[0] == 1'(b);

    snncore_ram #(.WIDTH(P0_W), .DEPTH(HALF)) u_p0 (.clk_i,
      .we_i(wpar && cfg_w_param == 3'd0), .waddr_i(cfg_n_param[NW-1:1]),
      .wdata_i(cfg_wdata_i[P0_W-1:0]), .raddr_i(raddr), .rdata_o(p0));
    snncore_ram #(.WIDTH(DECAY_W), .DEPTH(HALF)) u_p1 (.clk_i,
      .we_i(wpar && cfg_w_param == 3'd1), .waddr_i(cfg_n_param[NW-1:1]),
      .wdata_i(cfg_wdata_i[DECAY_W-1:0]), .raddr_i(raddr), .rdata_o(du));
    snncore_ram #(.WIDTH(DECAY_W), .DEPTH(HALF)) u_p2 (.clk_i,
      .we_i(wpar && cfg_w_param == 3'd2), .waddr_i(cfg_n_param[NW-1:1]),
      .wdata_i(cfg_wdata_i[DECAY_W-1:0]), .raddr_i(raddr), .rdata_o(dv));
    snncore_ram #(.WIDTH(32), .DEPTH(HALF)) u_p3 (.clk_i,
      .we_i(wpar && cfg_w_param == 3'd3), .waddr_i(cfg_n_param[NW-1:1]),
      .wdata_i(cfg_wdata_i), .raddr_i(raddr), .rdata_o(ub));
    snncore_ram #(.WIDTH(32), .DEPTH(HALF)) u_p4 (.clk_i,
      .we_i(wpar && cfg_w_param == 3'd4), .waddr_i(cfg_n_param[NW-1:1]),
      .wdata_i(cfg_wdata_i), .raddr_i(raddr), .rdata_o(vb));
    snncore_ram #(.WIDTH(STATE_W), .DEPTH(HALF)) u_p5 (.clk_i,
      .we_i(wpar && cfg_w_param == 3'd5), .waddr_i(cfg_n_param[NW-1:1]),
      .wdata_i(cfg_wdata_i[STATE_W-1:0]), .raddr_i(raddr), .rdata_o(th));
    snncore_ram #(.WIDTH(STATE_W), .DEPTH(HALF)) u_p6 (.clk_i,
      .we_i(wpar && cfg_w_param == 3'd6), .waddr_i(cfg_n_param[NW-1:1]),
      .wdata_i(cfg_wdata_i[STATE_W-1:0]), .raddr_i(raddr), .rdata_o(vr));
    // State: written by an update or the host (the host only while idle).
    snncore_ram #(.WIDTH(STATE_W), .DEPTH(HALF)) u_sv (.clk_i,
      .we_i(st_upd || (st_host && cfg_w_state == 2'd0)), .waddr_i(st_waddr),
      .wdata_i(st_w[ST_W-1-:STATE_W]), .raddr_i(raddr), .rdata_o(sv));
    snncore_ram #(.WIDTH(STATE_W), .DEPTH(HALF)) u_su (.clk_i,
      .we_i(st_upd || (st_host && cfg_w_state == 2'd1)), .waddr_i(st_waddr),
      .wdata_i(st_w[1+:STATE_W]), .raddr_i(raddr), .rdata_o(su));
    snncore_ram #(.WIDTH(1), .DEPTH(HALF)) u_ss (.clk_i,
      .we_i(st_upd || (st_host && cfg_w_state == 2'd2)), .waddr_i(st_waddr),
      .wdata_i(st_w[0]), .raddr_i(raddr), .rdata_o(ss));
    assign par_rd[b] = {p0, du, dv, ub, vb, th, vr};
    assign st_rd[b]  = {sv, su, ss};
  end
  assign host_par = par_rd[cfg_n[0]];
  assign host_st  = st_rd[cfg_n[0]];

  // ---- The neuron units (one a lane) and the Poisson unit (lane 0) --------------
  logic [P0_W-1:0]    p0 [2];
  logic [DECAY_W-1:0] p_du [2], p_dv [2];
  logic [31:0]        p_ub [2], p_vb [2];
  logic [STATE_W-1:0] p_th [2], p_vr [2], s_v [2], s_u [2];
  logic               s_spk [2];
  logic signed [ACC_W-1:0] lane_acc [2];
  logic               c_emit [2], c_graded [2], c_spk [2];
  logic [STATE_W-1:0] c_v [2], c_u [2], c_payload [2];
  assign lane_acc[0] = upd_acc;
  assign lane_acc[1] = upd2_acc;
  for (genvar l = 0; l < 2; l++) begin : g_lane
    assign {p0[l], p_du[l], p_dv[l], p_ub[l], p_vb[l], p_th[l], p_vr[l]} =
        par_rd[lane_n[l][0]];
    assign {s_v[l], s_u[l], s_spk[l]} = st_rd[lane_n[l][0]];
    snncore_neuron #(.STATE_W(STATE_W), .ACC_W(ACC_W)) u_neuron (
      .kind_i(p0[l][2:0]), .subtract_i(p0[l][3]), .ge_i(p0[l][4]),
      .timing_i(p0[l][6:5]), .syn_first_i(p0[l][7]), .decay_u_i(p_du[l]),
      .decay_v_i(p_dv[l]), .u_bias_i(p_ub[l]), .v_bias_i(p_vb[l]),
      .threshold_i(p_th[l]), .v_reset_i(p_vr[l]), .v_i(s_v[l]), .u_i(s_u[l]),
      .spiked_i(s_spk[l]), .acc_i(lane_acc[l]), .v_o(c_v[l]), .u_o(c_u[l]),
      .spiked_o(c_spk[l]), .emit_o(c_emit[l]), .graded_o(c_graded[l]),
      .payload_o(c_payload[l]));
  end

  // A PoissonSource neuron reuses its parameter words (§3.1): P1 the first
  // threshold of its table, P2 the table's size, P3/P4 the Philox key, P5
  // its index in the population, P6 the count below every threshold. Only
  // lane 0 updates one.
  logic               pois, pois1, pois_done, pois_busy;
  logic [STATE_W-1:0] pois_count;
  logic [31:0]        pois_rdata;
  assign pois  = p0[0][8];
  assign pois1 = p0[1][8];
  snncore_poisson #(.TABLE_WORDS(POIS_WORDS), .STATE_W(STATE_W)) u_poisson (
    .clk_i, .rst_ni,
    .cfg_we_i(cfg_pois), .cfg_addr_i(cfg_offset_i[TW-1:0]),
    .cfg_wdata_i(cfg_wdata_i), .cfg_rdata_o(pois_rdata),
    .req_i(upd_active_q && pois), .key_i({p_vb[0], p_ub[0]}),
    .index_i(32'(p_th[0])), .step_i(tstep_q),
    .base_i(TW'(p_du[0])), .size_i((TW+1)'(p_dv[0])), .first_i(p_vr[0]),
    .flush_i(phase_go_i), .ack_i(upd_gnt && pois), .done_o(pois_done),
    .count_o(pois_count), .busy_o(pois_busy));

  // Each lane's result; lane 0's a PoissonSource's count (its state, and a
  // graded event the CPU engine delivers as count x weight; none for 0).
  logic               emit [2], graded [2];
  logic [STATE_W-1:0] payload [2];
  always_comb begin : results
    for (int l = 0; l < 2; l++) begin
      st_new[l]  = {c_v[l], c_u[l], c_spk[l]};
      emit[l]    = c_emit[l];
      graded[l]  = c_graded[l];
      payload[l] = c_payload[l];
    end
    if (pois) begin
      st_new[0]  = {pois_count, s_u[0], pois_count != '0};
      emit[0]    = pois_count != '0;
      graded[0]  = 1'b1;
      payload[0] = pois_count;
    end
  end

  // ---- Update sequencer and output FIFO ------------------------------------------
  logic [NW:0]   upd_end_q;
  logic          out_wready, out_empty, push, src;
  logic [EV_W-1:0] out_word;

  // Lane 0 waits for room in the output FIFO before it takes the
  // accumulator, so that a granted update always completes. Lane 1 joins
  // it when its neuron is in the phase, neither is a PoissonSource and at
  // most one of the two emits (the FIFO takes one event a cycle).
  assign upd_req  = upd_active_q && out_wready && (!pois || pois_done);
  assign upd2_req = upd_active_q && (NW+1)'(lane_n[0]) + 1'b1 < upd_end_q &&
                    !pois && !pois1 && !(c_emit[0] && c_emit[1]);
  assign gnt[0]   = upd_gnt;
  assign gnt[1]   = upd2_gnt;
  assign src      = !(upd_gnt && emit[0]);   // the lane whose event is pushed
  assign push     = (upd_gnt && emit[0]) || (upd2_gnt && emit[1]);
  assign out_word = {graded[src], payload[src], key_q | 32'(lane_n[src])};

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
        upd_n_q   <= upd_n_q + (upd2_gnt ? NW'(2) : NW'(1));
        updates_q <= updates_q + (upd2_gnt ? 32'd2 : 32'd1);
        if ((NW+1)'(upd_n_q) + (upd2_gnt ? (NW+1)'(2) : (NW+1)'(1))
            >= upd_end_q)
          upd_active_q <= 1'b0;
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
          3'd0: cfg_rdata_o = 32'(host_par[PAR_W-1-:P0_W]);
          3'd1: cfg_rdata_o = 32'(host_par[64+2*STATE_W+DECAY_W+:DECAY_W]);
          3'd2: cfg_rdata_o = 32'(host_par[64+2*STATE_W+:DECAY_W]);
          3'd3: cfg_rdata_o = host_par[32+2*STATE_W+:32];
          3'd4: cfg_rdata_o = host_par[2*STATE_W+:32];
          3'd5: cfg_rdata_o = 32'($signed(host_par[STATE_W+:STATE_W]));
          3'd6: cfg_rdata_o = 32'($signed(host_par[0+:STATE_W]));
          default: cfg_rdata_o = '0;
        endcase
      end
      REG_STATE: begin
        case (cfg_w_state)
          2'd0: cfg_rdata_o = 32'($signed(host_st[ST_W-1-:STATE_W]));
          2'd1: cfg_rdata_o = 32'($signed(host_st[1+:STATE_W]));
          2'd2: cfg_rdata_o = 32'(host_st[0]);
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
  assign mon_neuron_o  = lane_n[src];
  assign mon_graded_o  = graded[src];
  assign mon_payload_o = payload[src];
endmodule
