// snncore_poisson: the event count of one PoissonSource neuron for one
// step (docs/rtl-core.md §3.1), as runtime/reference/PoissonSource.h
// defines it. The uniform word is word (index & 3) of the Philox4x32-10
// block of counter {index >> 2, step[31:0], step[63:32], "Pois"} under the
// neuron's 64-bit key. A Philox engine computes ROUNDS rounds a cycle (1,
// 2, 5 or 10; 2 by default: 5 cycles a block) and leaves its block in one
// of two kept blocks (tag: key and index >> 2), from which the four
// neurons of the block take their words. When a neuron takes its word and
// the next block of its key is neither kept nor being drawn, the engine
// starts on it, into the kept block not in use, so that a run of neurons
// finds its blocks drawn while the searches go on. The count is
// first + the number of the neuron's CDF thresholds <= word, found by a
// binary search over the threshold memory, one read a cycle, in the same
// order of halvings as the reference's poissonCount(); the first read is
// in the cycle of the request when the block is there.
//
// Handshake: the core holds req_i and the neuron's parameters until done_o;
// the count is taken in the cycle ack_i is high (which may be the cycle of
// the search's last read). flush_i (a new phase) forgets the kept block and
// stops the engine: the step may have changed.
module snncore_poisson
  import snncore_pkg::*;
#(
  parameter int unsigned TABLE_WORDS = snncore_pkg::CFG_POIS_WORDS,
  parameter int unsigned STATE_W     = snncore_pkg::CFG_STATE_W,
  parameter int unsigned ROUNDS      = snncore_pkg::CFG_POIS_ROUNDS,
  localparam int unsigned TW = $clog2(TABLE_WORDS)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // host access to the threshold memory (only while the core is idle)
  input  logic               cfg_we_i,
  input  logic [TW-1:0]      cfg_addr_i,
  input  logic [31:0]        cfg_wdata_i,
  output logic [31:0]        cfg_rdata_o,
  // one neuron's draw
  input  logic               req_i,
  input  logic [63:0]        key_i,       // {P4, P3}
  input  logic [31:0]        index_i,     // neuron index in its population
  input  logic [63:0]        step_i,
  input  logic [TW-1:0]      base_i,      // first threshold of its table
  input  logic [TW:0]        size_i,      // thresholds in its table
  input  logic [STATE_W-1:0] first_i,     // the count below every threshold
  input  logic               flush_i,
  input  logic               ack_i,
  output logic               done_o,
  output logic [STATE_W-1:0] count_o,
  output logic               busy_o
);
  localparam logic [31:0] M0 = 32'hD251_1F53, M1 = 32'hCD9E_8D57;
  localparam logic [31:0] W0 = 32'h9E37_79B9, W1 = 32'hBB67_AE85;

  typedef enum logic [1:0] {S_IDLE, S_WAIT, S_SEARCH, S_DONE} state_e;
  state_e state_q;

  // ---- Threshold memory ----------------------------------------------------
  logic [TW-1:0] tbl_raddr;
  logic [31:0]   tbl_rdata;
  snncore_ram #(.WIDTH(32), .DEPTH(TABLE_WORDS)) u_table (
    .clk_i, .we_i(cfg_we_i), .waddr_i(cfg_addr_i), .wdata_i(cfg_wdata_i),
    .raddr_i(tbl_raddr), .rdata_o(tbl_rdata));
  assign cfg_rdata_o = tbl_rdata;

  // ---- Philox engine: the counter under rounds, the round key, its tag -----
  logic [31:0] ctr_q [4];
  logic [31:0] rk0_q, rk1_q;
  logic [3:0]  round_q;
  logic        eng_busy_q;
  logic [29:0] eng_quad_q;
  logic [63:0] eng_key_q;
  // ---- The two kept blocks (the one in use and the one drawn ahead)
  logic [31:0] blk_q [2][4];
  logic        blk_valid_q [2];
  logic [29:0] blk_quad_q [2];
  logic [63:0] blk_key_q [2];
  logic        used_q;        // the block the last search took its word from
  // ---- Search state
  logic [31:0]  word_q;
  logic [TW:0]  sbase_q;    // the answer lies in [sbase, sbase + slen]
  logic [TW:0]  slen_q;
  logic [STATE_W-1:0] count_q;

  logic        hit, eng_match, start, searching, search_end, launch, ahead;
  logic        hit_slot, victim, next_kept, next_drawing;
  logic [29:0] launch_quad, next_quad;
  logic [31:0] next_ctr [4];
  logic [31:0] next_rk0, next_rk1, t0, t1, t2, t3;
  logic [63:0] p0, p1;
  logic [TW:0] s_base, s_len, half, offset;
  logic [31:0] s_word;
  logic        below;
  logic [STATE_W-1:0] final_count;

  always_comb begin : philox
    // ROUNDS Philox4x32 rounds (Philox.h): each two 32 x 32 products,
    // then the words permuted and the high halves mixed with the other
    // words and the round key, which then advances.
    for (int i = 0; i < 4; i++) next_ctr[i] = ctr_q[i];
    next_rk0 = rk0_q;
    next_rk1 = rk1_q;
    p0 = '0;
    p1 = '0;
    for (int r = 0; r < ROUNDS; r++) begin
      p0 = 64'(M0) * 64'(next_ctr[0]);
      p1 = 64'(M1) * 64'(next_ctr[2]);
      t0 = p1[63:32] ^ next_ctr[1] ^ next_rk0;
      t1 = p1[31:0];
      t2 = p0[63:32] ^ next_ctr[3] ^ next_rk1;
      t3 = p0[31:0];
      next_ctr[0] = t0;
      next_ctr[1] = t1;
      next_ctr[2] = t2;
      next_ctr[3] = t3;
      next_rk0 = next_rk0 + W0;
      next_rk1 = next_rk1 + W1;
    end
  end

  always_comb begin : control
    hit = 1'b0;
    hit_slot = 1'b0;
    next_kept = 1'b0;
    next_quad = index_i[31:2] + 1'b1;
    for (int b = 0; b < 2; b++) begin
      if (blk_valid_q[b] && blk_quad_q[b] == index_i[31:2] &&
          blk_key_q[b] == key_i) begin
        hit = 1'b1;
        hit_slot = 1'(b);
      end
      if (blk_valid_q[b] && blk_quad_q[b] == next_quad &&
          blk_key_q[b] == key_i)
        next_kept = 1'b1;
    end
    eng_match = eng_busy_q && eng_quad_q == index_i[31:2] &&
                eng_key_q == key_i;
    next_drawing = eng_busy_q && eng_quad_q == next_quad &&
                   eng_key_q == key_i;
    // A request whose block is kept starts its search at once; one with an
    // empty table (the count is first) needs no word.
    start = (state_q == S_IDLE || state_q == S_WAIT) && req_i &&
            (hit || size_i == '0);
    searching = start || state_q == S_SEARCH;
    // The engine: the block a waiting request needs, or the next block of
    // the key once the last neuron of a block has its word.
    launch = (state_q == S_IDLE || state_q == S_WAIT) && req_i && !hit &&
             size_i != '0 && !eng_match;
    ahead  = start && hit && !eng_busy_q && !next_kept && !next_drawing;
    launch_quad = launch ? index_i[31:2] : next_quad;
    // A drawn block replaces the one not in use.
    victim = (start && hit) ? !hit_slot : !used_q;
    // The search, from the neuron's table and word in the request's cycle,
    // then from the registers: while more than one threshold is left, test
    // the last of the lower half; then the remaining one.
    s_base = start ? (TW+1)'(base_i) : sbase_q;
    s_len  = start ? size_i : slen_q;
    s_word = start ? blk_q[hit_slot][index_i[1:0]] : word_q;
    half = s_len >> 1;
    tbl_raddr = cfg_addr_i;
    if (searching)
      tbl_raddr = (s_len > (TW+1)'(1)) ? TW'(s_base + half - 1'b1)
                                       : TW'(s_base);
  end

  // After the read, in a block of its own (the address above does not
  // depend on the data).
  always_comb begin : compare
    below = tbl_rdata <= s_word;
    offset = s_base - (TW+1)'(base_i);
    search_end  = searching && s_len <= (TW+1)'(1);
    // An empty table (size 0) gives first.
    final_count = first_i + STATE_W'(offset)
                + STATE_W'(s_len != '0 && below);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin : engine
    if (!rst_ni) begin
      round_q     <= '0;
      rk0_q       <= '0;
      rk1_q       <= '0;
      eng_busy_q  <= 1'b0;
      eng_quad_q  <= '0;
      eng_key_q   <= '0;
      used_q      <= 1'b0;
      for (int b = 0; b < 2; b++) begin
        blk_valid_q[b] <= 1'b0;
        blk_quad_q[b]  <= '0;
        blk_key_q[b]   <= '0;
        for (int i = 0; i < 4; i++) blk_q[b][i] <= '0;
      end
      for (int i = 0; i < 4; i++) ctr_q[i] <= '0;
    end else begin
      if (eng_busy_q) begin
        for (int i = 0; i < 4; i++) ctr_q[i] <= next_ctr[i];
        rk0_q   <= next_rk0;
        rk1_q   <= next_rk1;
        round_q <= round_q + 4'(ROUNDS);
        if (round_q == 4'(10 - ROUNDS)) begin
          for (int i = 0; i < 4; i++) blk_q[victim][i] <= next_ctr[i];
          blk_valid_q[victim] <= 1'b1;
          blk_quad_q[victim]  <= eng_quad_q;
          blk_key_q[victim]   <= eng_key_q;
          eng_busy_q  <= 1'b0;
        end
      end
      if (launch || ahead) begin
        ctr_q[0]   <= {2'b00, launch_quad};
        ctr_q[1]   <= step_i[31:0];
        ctr_q[2]   <= step_i[63:32];
        ctr_q[3]   <= POISSON_STREAM;
        rk0_q      <= key_i[31:0];
        rk1_q      <= key_i[63:32];
        round_q    <= '0;
        eng_busy_q <= 1'b1;
        eng_quad_q <= launch_quad;
        eng_key_q  <= key_i;
      end
      if (start && hit) used_q <= hit_slot;
      if (flush_i) begin
        blk_valid_q[0] <= 1'b0;
        blk_valid_q[1] <= 1'b0;
        eng_busy_q     <= 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin : fsm
    if (!rst_ni) begin
      state_q <= S_IDLE;
      word_q  <= '0;
      sbase_q <= '0;
      slen_q  <= '0;
      count_q <= '0;
    end else begin
      if (searching) begin
        if (!search_end) begin
          word_q  <= s_word;
          sbase_q <= below ? s_base + half : s_base;
          slen_q  <= s_len - half;
          state_q <= S_SEARCH;
        end else begin
          count_q <= final_count;
          state_q <= ack_i ? S_IDLE : S_DONE;
        end
      end else begin
        unique case (state_q)
          S_IDLE: if (req_i) state_q <= S_WAIT;   // the block is drawn
          S_WAIT: ;                                // until it is kept
          S_DONE: if (ack_i) state_q <= S_IDLE;
          default: state_q <= S_IDLE;
        endcase
      end
    end
  end

  // The count is given in the cycle of the search's last read already.
  assign done_o  = state_q == S_DONE || search_end;
  assign count_o = search_end ? final_count : count_q;
  // The engine may still draw a block ahead after the last request of a
  // phase; that draw is dropped at the next phase, so it keeps nobody busy.
  assign busy_o  = state_q != S_IDLE;
endmodule
