"""Every target of synapse-delays.mlir spikes exactly at source + delay."""
import sys

import numpy as np

src, dst, steps = np.load(sys.argv[1]), np.load(sys.argv[2]), int(sys.argv[3])
delays = [10, 20, 35]
want = sorted((t + d, k) for t in src[:, 0] for k, d in enumerate(delays)
              if t + d < steps)
got = sorted(map(tuple, dst.tolist()))
if len(src) < 10:
    sys.exit(f"only {len(src)} source events")
if got != want:
    sys.exit(f"targets differ: first expected {want[:6]}, got {got[:6]}")
print(f"ok: {len(src)} source events, {len(got)} delayed target spikes")
