// snncore_chip: CORES cores and one router, the host bus that configures
// them and the timestep sequencer (docs/rtl-core.md §2, §8, §9). A host
// write of 1 to the chip's STEP register runs one timestep: wait until the
// whole machine is quiet, then for each phase k < NUM_PHASES start phase k
// on every core and wait until quiet again, then move every core's delay
// ring to the next slot. "Quiet" is this chip's cores and router idle and
// ext_idle_i, which a mesh of chips ties to the AND of the other chips'
// idle_o so that all chips step through the phases in lock step.
module snncore_chip
  import snncore_pkg::*;
#(
  parameter int unsigned CORES       = snncore_pkg::CFG_CORES,
  parameter int unsigned NEURONS     = snncore_pkg::CFG_NEURONS,
  parameter int unsigned SYN_WORDS   = snncore_pkg::CFG_SYN_WORDS,
  parameter int unsigned FAN_IN      = snncore_pkg::CFG_FAN_IN,
  parameter int unsigned DELAY_SLOTS = snncore_pkg::CFG_DELAY_SLOTS,
  parameter int unsigned WEIGHT_W    = snncore_pkg::CFG_WEIGHT_W,
  parameter int unsigned STATE_W     = snncore_pkg::CFG_STATE_W,
  parameter int unsigned ENTRIES     = snncore_pkg::CFG_ROUTE_ENTRIES,
  parameter int unsigned MAX_PHASES  = snncore_pkg::CFG_MAX_PHASES,
  localparam int unsigned NW    = $clog2(NEURONS),
  localparam int unsigned PW    = $clog2(MAX_PHASES),
  localparam int unsigned PKT_W = 33 + STATE_W   // {graded, payload, key}
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // host bus: a request is taken every cycle; read data one cycle later
  input  logic                host_req_i,
  input  logic                host_we_i,
  input  logic [31:0]         host_addr_i,
  input  logic [BUS_W-1:0]    host_wdata_i,
  output logic                host_rvalid_o,
  output logic [BUS_W-1:0]    host_rdata_o,
  // host AER input (packets routed like any other)
  input  logic                aer_valid_i,
  output logic                aer_ready_o,
  input  logic [PKT_W-1:0]    aer_pkt_i,
  // mesh links
  input  logic [LINKS-1:0]    link_valid_i,
  output logic [LINKS-1:0]    link_ready_o,
  input  logic [PKT_W-1:0]    link_pkt_i [LINKS],
  output logic [LINKS-1:0]    link_valid_o,
  input  logic [LINKS-1:0]    link_ready_i,
  output logic [PKT_W-1:0]    link_pkt_o [LINKS],
  // timestep handshake
  input  logic                ext_idle_i,
  output logic                idle_o,
  output logic                busy_o,     // a step is running
  // every core's output events (recording)
  output logic [CORES-1:0]    mon_valid_o,
  output logic [NW-1:0]       mon_neuron_o  [CORES],
  output logic [CORES-1:0]    mon_graded_o,
  output logic [STATE_W-1:0]  mon_payload_o [CORES]
);
  // ---- Host bus decode ---------------------------------------------------------
  logic [3:0]  unit, region;
  logic [19:0] offset;
  assign unit   = host_addr_i[27:24];
  assign region = host_addr_i[23:20];
  assign offset = host_addr_i[19:0];
  // Addresses with any of bits [31:28] set belong to no unit: ignored.
  wire wr = host_req_i && host_we_i && host_addr_i[31:28] == 4'd0;

  logic [BUS_W-1:0] core_rdata [CORES];
  logic [BUS_W-1:0] router_rdata, chip_rdata, rdata_d;

  // ---- Cores ----------------------------------------------------------------------
  logic [CORES-1:0] c_in_valid, c_in_ready, c_out_valid, c_out_ready, c_busy;
  logic [PKT_W-1:0] c_in_pkt [CORES];
  logic [PKT_W-1:0] c_out_pkt [CORES];
  logic             phase_go, step_end;
  // The phase about to start, valid in the cycle phase_go is high.
  logic [PW-1:0]    go_phase;

  for (genvar c = 0; c < CORES; c++) begin : g_core
    snncore_core #(
      .NEURONS(NEURONS), .SYN_WORDS(SYN_WORDS), .FAN_IN(FAN_IN),
      .DELAY_SLOTS(DELAY_SLOTS), .WEIGHT_W(WEIGHT_W), .STATE_W(STATE_W),
      .MAX_PHASES(MAX_PHASES)
    ) u_core (
      .clk_i, .rst_ni,
      .cfg_we_i(wr && unit == 4'(c)), .cfg_region_i(region),
      .cfg_offset_i(offset), .cfg_wdata_i(host_wdata_i),
      .cfg_rdata_o(core_rdata[c]),
      .in_valid_i(c_in_valid[c]), .in_ready_o(c_in_ready[c]),
      .in_event_i(c_in_pkt[c]),
      .out_valid_o(c_out_valid[c]), .out_ready_i(c_out_ready[c]),
      .out_event_o(c_out_pkt[c]),
      .phase_go_i(phase_go), .phase_i(go_phase), .step_end_i(step_end),
      .busy_o(c_busy[c]),
      .mon_valid_o(mon_valid_o[c]), .mon_neuron_o(mon_neuron_o[c]),
      .mon_graded_o(mon_graded_o[c]), .mon_payload_o(mon_payload_o[c]));
  end

  // ---- Router ---------------------------------------------------------------------
  logic r_busy;
  snncore_router #(.CORES(CORES), .ENTRIES(ENTRIES), .PKT_W(PKT_W)) u_router (
    .clk_i, .rst_ni,
    .cfg_we_i(wr && unit == UNIT_ROUTER), .cfg_region_i(region),
    .cfg_offset_i(offset), .cfg_wdata_i(host_wdata_i),
    .cfg_rdata_o(router_rdata),
    .core_valid_i(c_out_valid), .core_ready_o(c_out_ready),
    .core_pkt_i(c_out_pkt),
    .core_valid_o(c_in_valid), .core_ready_i(c_in_ready),
    .core_pkt_o(c_in_pkt),
    .link_valid_i, .link_ready_o, .link_pkt_i,
    .link_valid_o, .link_ready_i, .link_pkt_o,
    .host_valid_i(aer_valid_i), .host_ready_o(aer_ready_o),
    .host_pkt_i(aer_pkt_i), .busy_o(r_busy));

  // ---- Timestep sequencer -------------------------------------------------------
  typedef enum logic [1:0] {SEQ_IDLE, SEQ_DRAIN, SEQ_GAP} seq_e;
  seq_e        seq_q;
  logic [PW:0] num_phases_q, next_phase_q;
  logic [31:0] steps_q, step_cycles_q, cycles_q;
  logic        quiet;

  assign idle_o = !(|c_busy) && !r_busy;
  assign quiet  = idle_o && ext_idle_i;
  assign busy_o = seq_q != SEQ_IDLE;

  always_comb begin : seq_outputs
    phase_go = 1'b0;
    step_end = 1'b0;
    if (seq_q == SEQ_DRAIN && quiet) begin
      phase_go = next_phase_q < num_phases_q;
      step_end = !phase_go;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin : sequencer
    if (!rst_ni) begin
      seq_q         <= SEQ_IDLE;
      num_phases_q  <= '0;
      next_phase_q  <= '0;
      steps_q       <= '0;
      step_cycles_q <= '0;
      cycles_q      <= '0;
    end else begin
      if (seq_q != SEQ_IDLE) cycles_q <= cycles_q + 1;
      unique case (seq_q)
        SEQ_IDLE: begin
          if (wr && unit == UNIT_CHIP && offset == 20'd0 && host_wdata_i[0]) begin
            seq_q         <= SEQ_DRAIN;
            next_phase_q  <= '0;
            step_cycles_q <= '0;
          end
        end
        SEQ_DRAIN: begin
          step_cycles_q <= step_cycles_q + 1;
          if (phase_go) begin
            next_phase_q <= next_phase_q + 1'b1;
            seq_q        <= SEQ_GAP;
          end else if (step_end) begin
            steps_q <= steps_q + 1;
            seq_q   <= SEQ_IDLE;
          end
        end
        default: begin  // SEQ_GAP: the cores raise busy this cycle
          step_cycles_q <= step_cycles_q + 1;
          seq_q <= SEQ_DRAIN;
        end
      endcase
      if (wr && unit == UNIT_CHIP && offset == 20'd2)
        num_phases_q <= host_wdata_i[PW:0];
    end
  end

  assign go_phase = next_phase_q[PW-1:0];

  always_comb begin : chip_readback
    case (offset)
      20'd1: chip_rdata = {31'd0, busy_o};
      20'd2: chip_rdata = 32'(num_phases_q);
      20'd3: chip_rdata = steps_q;
      20'd4: chip_rdata = step_cycles_q;
      20'd5: chip_rdata = cycles_q;
      20'd6: chip_rdata = {8'(CORES), 8'(NW), 8'(STATE_W), 8'(WEIGHT_W)};
      default: chip_rdata = '0;
    endcase
  end

  always_comb begin : read_mux
    rdata_d = '0;
    if (unit == UNIT_CHIP) rdata_d = chip_rdata;
    else if (unit == UNIT_ROUTER) rdata_d = router_rdata;
    else begin
      for (int c = 0; c < CORES; c++)
        if (unit == 4'(c)) rdata_d = core_rdata[c];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin : read_reg
    if (!rst_ni) begin
      host_rvalid_o <= 1'b0;
      host_rdata_o  <= '0;
    end else begin
      host_rvalid_o <= host_req_i && !host_we_i;
      host_rdata_o  <= rdata_d;
    end
  end
endmodule
