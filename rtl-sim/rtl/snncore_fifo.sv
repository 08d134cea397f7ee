// snncore_fifo: a synchronous first-in first-out buffer with valid/ready on
// both sides (an AER FIFO of docs/rtl-core.md §5). The head is visible
// while rvalid_o is high and leaves on rvalid_o && rready_i; a word enters
// on wvalid_i && wready_o. DEPTH must be a power of two.
module snncore_fifo #(
  parameter int unsigned WIDTH = 32,
  parameter int unsigned DEPTH = 16
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             wvalid_i,
  output logic             wready_o,
  input  logic [WIDTH-1:0] wdata_i,
  output logic             rvalid_o,
  input  logic             rready_i,
  output logic [WIDTH-1:0] rdata_o,
  output logic             empty_o
);
  localparam int unsigned AW = $clog2(DEPTH);

  logic [WIDTH-1:0] mem_q [DEPTH];
  logic [AW:0] rd_q, wr_q;
  logic push, pop;

  // Separate assignments: the ready/valid outputs depend on the pointers
  // only, never on the other side's handshake.
  assign empty_o  = rd_q == wr_q;
  assign wready_o = (rd_q[AW-1:0] != wr_q[AW-1:0]) || (rd_q[AW] == wr_q[AW]);
  assign rvalid_o = !empty_o;
  assign rdata_o  = mem_q[rd_q[AW-1:0]];
  assign push     = wvalid_i && wready_o;
  assign pop      = rvalid_o && rready_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin : pointers
    if (!rst_ni) begin
      rd_q <= '0;
      wr_q <= '0;
    end else begin
      if (push) wr_q <= wr_q + 1'b1;
      if (pop)  rd_q <= rd_q + 1'b1;
    end
  end

  always_ff @(posedge clk_i) begin : storage
    if (push) mem_q[wr_q[AW-1:0]] <= wdata_i;
  end
endmodule
