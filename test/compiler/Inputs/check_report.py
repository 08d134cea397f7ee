"""Checks snnc --report json of mapping-net.mlir on snncore: every core's
neurons add up to the network's, per-core figures stay within the target's
limits, and the estimates are the text report's."""
import json
import sys

r = json.load(open(sys.argv[1]))
assert r["target"] == "snncore", r["target"]
assert r["cores_used"] == 2 and len(r["cores"]) == 2, r["cores_used"]
lim = r["limits"]
assert sum(c["neurons"] for c in r["cores"]) == 364
for c in r["cores"]:
    assert c["neurons"] <= lim["neurons_per_core"], c
    assert c["synapse_words"] <= lim["synapse_words_per_core"], c
    assert c["fan_in"] <= lim["fan_in_per_core"], c
    assert sum(s["end"] - s["first"] for s in c["slices"]) == c["neurons"], c
assert r["cores"][0]["slices"][0] == {"population": "x", "first": 0, "end": 64}
assert abs(r["per_step"]["synaptic_ops"] - 7.936) < 1e-9, r["per_step"]
assert r["per_step"]["neuron_updates"] == 364
assert r["per_step"]["energy_pj"] > 0
assert r["violations"] == [], r["violations"]
assert r["routers"][0]["entries"] == 1
assert r["routers"][0]["entries_before_compression"] == 2
print("ok")
