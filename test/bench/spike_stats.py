"""Spike-train statistics that vs_brian2.py compares between engines."""
import math

import numpy as np

from network_dir import Network



def firing_rate(index: np.ndarray, net: Network) -> float:
    """Mean firing rate in Hz over all neurons."""
    return len(index) / net.size / net.duration


def isi_cv(index: np.ndarray, step: np.ndarray, n_neurons: int) -> tuple[float, int]:
    """Mean over neurons with >= 3 spikes of std/mean of their inter-spike intervals.

    Returns (cv, number of neurons averaged); cv is NaN when there are none.
    Intervals are in steps; the ratio does not depend on dt.
    """
    if len(index) == 0:
        return math.nan, 0
    order = np.lexsort((step, index))
    idx, st = index[order], step[order].astype(np.float64)
    same = idx[1:] == idx[:-1]
    isi = (st[1:] - st[:-1])[same]
    owner = idx[1:][same]
    n_isi = np.bincount(owner, minlength=n_neurons)
    keep = n_isi >= 2
    if not keep.any():
        return math.nan, 0
    total = np.bincount(owner, weights=isi, minlength=n_neurons)
    mean = np.divide(total, n_isi, out=np.zeros(n_neurons), where=n_isi > 0)
    sq_dev = np.bincount(owner, weights=(isi - mean[owner]) ** 2, minlength=n_neurons)
    std = np.sqrt(np.divide(sq_dev, n_isi, out=np.zeros(n_neurons), where=n_isi > 0))
    cv = std[keep] / mean[keep]
    return float(cv.mean()), int(keep.sum())


def synaptic_events(index: np.ndarray, net: Network) -> int:
    """Spikes of each source neuron times its out-degree, summed over projections."""
    counts = np.bincount(index, minlength=net.size)
    events = 0
    for proj in net.projections:
        degree = np.bincount(proj.pre, minlength=proj.source.size)
        src = counts[proj.source.offset:proj.source.offset + proj.source.size]
        events += int(np.dot(src.astype(np.int64), degree.astype(np.int64)))
    return events


def relative_gap(ours: float, reference: float) -> float:
    """|ours - reference| / reference; 0 when both are 0 or both NaN, inf otherwise."""
    if math.isnan(ours) or math.isnan(reference):
        return 0.0 if math.isnan(ours) and math.isnan(reference) else math.inf
    if reference == 0:
        return 0.0 if ours == 0 else math.inf
    return abs(ours - reference) / abs(reference)
