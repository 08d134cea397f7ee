// snncore_router: the chip's multicast router (docs/rtl-core.md §7,
// docs/mapping.md "Route"). Inputs: the cores' output events, the four mesh
// links and the host. One packet a cycle is taken, round robin over the
// inputs with a packet waiting; its key is matched against the routing
// table, first valid entry whose (key & mask) equals (packet key & mask),
// and it leaves on every link and to every local core that entry names,
// in the same cycle, once all of them can take it; while it cannot, the
// arbiter goes on to the other inputs (the packet keeps its place at the
// head of its own input). A packet that matches
// no entry goes straight on when it came over a link (default routing: in
// at link l, out at link (l + 2) mod 4) and is dropped and counted when it
// came from a core or the host.
module snncore_router
  import snncore_pkg::*;
#(
  parameter int unsigned CORES      = snncore_pkg::CFG_CORES,
  parameter int unsigned ENTRIES    = snncore_pkg::CFG_ROUTE_ENTRIES,
  parameter int unsigned PKT_W      = 33 + snncore_pkg::CFG_STATE_W,
  parameter int unsigned FIFO_DEPTH = snncore_pkg::CFG_FIFO_DEPTH,
  localparam int unsigned NIN = CORES + LINKS + 1,   // cores, links, host
  localparam int unsigned IW  = $clog2(NIN),
  localparam int unsigned RW  = LINKS + CORES        // route bits
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // host configuration: region 0 counters, region 1 table (4 words/entry)
  input  logic                cfg_we_i,
  input  logic [3:0]          cfg_region_i,
  input  logic [19:0]         cfg_offset_i,
  input  logic [BUS_W-1:0]    cfg_wdata_i,
  output logic [BUS_W-1:0]    cfg_rdata_o,
  // local cores
  input  logic [CORES-1:0]    core_valid_i,
  output logic [CORES-1:0]    core_ready_o,
  input  logic [PKT_W-1:0]    core_pkt_i [CORES],
  output logic [CORES-1:0]    core_valid_o,
  input  logic [CORES-1:0]    core_ready_i,
  output logic [PKT_W-1:0]    core_pkt_o [CORES],
  // mesh links, bit i: 0 +x, 1 +y, 2 -x, 3 -y
  input  logic [LINKS-1:0]    link_valid_i,
  output logic [LINKS-1:0]    link_ready_o,
  input  logic [PKT_W-1:0]    link_pkt_i [LINKS],
  output logic [LINKS-1:0]    link_valid_o,
  input  logic [LINKS-1:0]    link_ready_i,
  output logic [PKT_W-1:0]    link_pkt_o [LINKS],
  // the host's input events
  input  logic                host_valid_i,
  output logic                host_ready_o,
  input  logic [PKT_W-1:0]    host_pkt_i,
  output logic                busy_o
);
  localparam int unsigned EW = $clog2(ENTRIES);

  // ---- Routing table ---------------------------------------------------------
  logic [31:0]   key_q   [ENTRIES];
  logic [31:0]   mask_q  [ENTRIES];
  logic [RW-1:0] route_q [ENTRIES];
  logic          valid_q [ENTRIES];
  logic [31:0]   routed_q, dropped_q, defaulted_q;

  // ---- Input buffers: links and host get FIFOs, cores have their own ------
  logic [NIN-1:0]   in_valid, in_pop;
  logic [PKT_W-1:0] in_pkt [NIN];
  logic [LINKS:0]   buf_empty;
  logic [LINKS:0]   buf_ready;

  for (genvar l = 0; l < LINKS; l++) begin : g_link_fifo
    snncore_fifo #(.WIDTH(PKT_W), .DEPTH(FIFO_DEPTH)) u_fifo (
      .clk_i, .rst_ni, .wvalid_i(link_valid_i[l]), .wready_o(buf_ready[l]),
      .wdata_i(link_pkt_i[l]), .rvalid_o(in_valid[CORES+l]),
      .rready_i(in_pop[CORES+l]), .rdata_o(in_pkt[CORES+l]),
      .empty_o(buf_empty[l]));
  end
  snncore_fifo #(.WIDTH(PKT_W), .DEPTH(FIFO_DEPTH)) u_host_fifo (
    .clk_i, .rst_ni, .wvalid_i(host_valid_i), .wready_o(buf_ready[LINKS]),
    .wdata_i(host_pkt_i), .rvalid_o(in_valid[NIN-1]),
    .rready_i(in_pop[NIN-1]), .rdata_o(in_pkt[NIN-1]),
    .empty_o(buf_empty[LINKS]));
  assign link_ready_o = buf_ready[LINKS-1:0];
  assign host_ready_o = buf_ready[LINKS];

  for (genvar c = 0; c < CORES; c++) begin : g_core_in
    assign in_valid[c] = core_valid_i[c];
    assign in_pkt[c]   = core_pkt_i[c];
  end
  assign core_ready_o = in_pop[CORES-1:0];

  // ---- Arbitration and look-up ------------------------------------------------
  logic [IW-1:0]    rr_q, sel;
  logic             any;
  logic [PKT_W-1:0] pkt;
  logic             hit;
  logic [RW-1:0]    dest;
  logic             from_link, fire, drop;
  logic [LINKS-1:0] dest_links;
  logic [CORES-1:0] dest_cores;

  always_comb begin : arbiter
    any = 1'b0;
    sel = '0;
    for (int k = NIN - 1; k >= 0; k--) begin
      // Candidate (rr_q + k) mod NIN; the lowest k with a packet wins.
      logic [IW:0] idx;
      idx = (IW+1)'(rr_q) + (IW+1)'(k);
      if (idx >= (IW+1)'(NIN)) idx = idx - (IW+1)'(NIN);
      if (in_valid[idx[IW-1:0]]) begin
        any = 1'b1;
        sel = idx[IW-1:0];
      end
    end
    pkt = in_pkt[sel];
  end

  always_comb begin : lookup
    hit  = 1'b0;
    dest = '0;
    for (int e = ENTRIES - 1; e >= 0; e--) begin
      if (valid_q[e] && ((pkt[31:0] & mask_q[e]) == (key_q[e] & mask_q[e]))) begin
        hit  = 1'b1;
        dest = route_q[e];
      end
    end
    from_link = (sel >= IW'(CORES)) && (sel < IW'(CORES + LINKS));
    if (!hit && from_link) begin
      dest = '0;
      dest[(32'(sel) - CORES + 2) % LINKS] = 1'b1;
    end
    dest_links = dest[LINKS-1:0];
    dest_cores = dest[LINKS+:CORES];
    drop = any && (dest == '0);
    // A multicast packet leaves everywhere in one cycle or waits.
    fire = any && !drop && ((dest_links & ~link_ready_i) == '0)
               && ((dest_cores & ~core_ready_i) == '0);
    in_pop = '0;
    if (fire || drop) in_pop[sel] = 1'b1;
  end

  assign link_valid_o = fire ? dest_links : '0;
  assign core_valid_o = fire ? dest_cores : '0;
  for (genvar l = 0; l < LINKS; l++) begin : g_link_out
    assign link_pkt_o[l] = pkt;
  end
  for (genvar c = 0; c < CORES; c++) begin : g_core_out
    assign core_pkt_o[c] = pkt;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin : state
    if (!rst_ni) begin
      rr_q        <= '0;
      routed_q    <= '0;
      dropped_q   <= '0;
      defaulted_q <= '0;
    end else begin
      // Past the input considered, whether its packet left or waits: a
      // packet whose outputs are not all ready must not hold up the other
      // inputs (two chips each waiting to send into the other's full link
      // buffer, while packets for their own cores sit behind, would never
      // move again).
      if (any) rr_q <= (sel == IW'(NIN - 1)) ? '0 : sel + 1'b1;
      if (fire) routed_q <= routed_q + 1;
      if (fire && !hit) defaulted_q <= defaulted_q + 1;
      if (drop) dropped_q <= dropped_q + 1;
      if (cfg_we_i && cfg_region_i == 4'h0 && cfg_offset_i == 20'd8) begin
        routed_q    <= '0;
        dropped_q   <= '0;
        defaulted_q <= '0;
      end
    end
  end

  // One block per entry (a loop over 256 entries with non-blocking writes
  // is not something every simulator unrolls).
  for (genvar e = 0; e < ENTRIES; e++) begin : g_entry
    wire sel_e = cfg_we_i && cfg_region_i == 4'h1 && cfg_offset_i[19:2] == 18'(e);
    always_ff @(posedge clk_i or negedge rst_ni) begin : entry
      if (!rst_ni) begin
        key_q[e]   <= '0;
        mask_q[e]  <= '0;
        route_q[e] <= '0;
        valid_q[e] <= 1'b0;
      end else if (sel_e) begin
        case (cfg_offset_i[1:0])
          2'd0: key_q[e]   <= cfg_wdata_i;
          2'd1: mask_q[e]  <= cfg_wdata_i;
          2'd2: route_q[e] <= cfg_wdata_i[RW-1:0];
          default: valid_q[e] <= cfg_wdata_i[0];
        endcase
      end
    end
  end

  logic [EW-1:0] rd_entry;
  assign rd_entry = cfg_offset_i[2+:EW];
  always_comb begin : readback
    cfg_rdata_o = '0;
    if (cfg_region_i == 4'h1) begin
      case (cfg_offset_i[1:0])
        2'd0: cfg_rdata_o = key_q[rd_entry];
        2'd1: cfg_rdata_o = mask_q[rd_entry];
        2'd2: cfg_rdata_o = 32'(route_q[rd_entry]);
        default: cfg_rdata_o = 32'(valid_q[rd_entry]);
      endcase
    end else begin
      case (cfg_offset_i)
        20'd0: cfg_rdata_o = routed_q;
        20'd1: cfg_rdata_o = dropped_q;
        20'd2: cfg_rdata_o = defaulted_q;
        default: cfg_rdata_o = '0;
      endcase
    end
  end

  assign busy_o = !(&buf_empty) || (|core_valid_i);
endmodule
