#!/usr/bin/env python3
"""Scales a Vogels-Abbott example (docs/examples/cuba.mlir, coba.mlir) to N
neurons, keeping 80 % excitatory and the mean number of synapses per
neuron (p * 4000 = 80): p becomes 80 / N. Writes the new .mlir to stdout.

    scale_va.py docs/examples/cuba.mlir 40000 > cuba40k.mlir
"""
import re
import sys

src, n = sys.argv[1], int(sys.argv[2])
text = open(src).read()
exc, inh = n * 4 // 5, n // 5
text = text.replace("tensor<3200x", f"tensor<{exc}x").replace(
    "tensor<800x", f"tensor<{inh}x")
p = 0.02 * 4000 / n
text, count = re.subn(r"p = 0\.02 : f64", f"p = {p:.6e} : f64", text)
if count == 0:
    sys.exit(f"scale_va.py: no 'p = 0.02' in {src}")
text = re.sub(r"snn\.network @(\w+)", lambda m: f"snn.network @{m.group(1)}{n}", text)
sys.stdout.write(text)
