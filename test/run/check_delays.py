"""Every target of synapse-delays.mlir spikes exactly one step plus its
synapse's delay after each source event (snn.sparse acts in the step after
the spike, as Brian2 does)."""
import sys

import numpy as np

src, dst, steps = np.load(sys.argv[1]), np.load(sys.argv[2]), int(sys.argv[3])
delays = [1 + 10, 1 + 20, 1 + 35]
want = sorted((t + d, k) for t in src[:, 0] for k, d in enumerate(delays)
              if t + d < steps)
got = sorted(map(tuple, dst.tolist()))
if len(src) < 10:
    sys.exit(f"only {len(src)} source events")
if got != want:
    sys.exit(f"targets differ: first expected {want[:6]}, got {got[:6]}")
print(f"ok: {len(src)} source events, {len(got)} delayed target spikes")
