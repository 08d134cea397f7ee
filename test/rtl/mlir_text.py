"""MLIR text of the snn dialect for the random networks of the
hardware-in-the-loop suite (random_net.py, poisson_net.py): vectors, dense
weight matrices, per-element attributes and snn.sparse projections, each
drawn from the caller's random.Random in a fixed order, so a seed always
writes the same network."""


def vec(values, fmt="%.6e"):
    return "[" + ", ".join(fmt % v for v in values) + "]"


def full(n, v):
    """A dense attribute of n equal values."""
    return "dense<%s> : tensor<%dxf32>" % (vec([v] * n), n)


def spread(n, lo, hi, rng):
    """A dense attribute of n values uniform in [lo, hi]."""
    return "dense<%s> : tensor<%dxf32>" % (
        vec([rng.uniform(lo, hi) for _ in range(n)]), n)


def dense(rows, cols, rng, scale, density):
    """A rows x cols matrix: each entry nonzero with probability `density`,
    then uniform in [-scale, scale]."""
    return "[" + ", ".join(
        "[" + ", ".join(
            "%.4f" % (rng.uniform(-scale, scale) if rng.random() < density
                      else 0.0) for _ in range(cols)) + "]"
        for _ in range(rows)) + "]"


def sparse(name, src, n_src, n_dst, rng, count, lo, hi, max_delay, dt):
    """An snn.sparse of `count` random synapses from %src, weights uniform in
    [lo, hi], delays of 0..max_delay steps of dt."""
    pre = [rng.randrange(n_src) for _ in range(count)]
    post = [rng.randrange(n_dst) for _ in range(count)]
    w = [rng.uniform(lo, hi) for _ in range(count)]
    d = [rng.randint(0, max_delay) * dt for _ in range(count)]
    return ('  %%%s = snn.sparse "%s"(%%%s) {pre = dense<%s> : tensor<%dxi32>, '
            'post = dense<%s> : tensor<%dxi32>, weight = dense<%s> : '
            'tensor<%dxf32>, delay = dense<%s> : tensor<%dxf32>} : '
            'tensor<%dxf32> -> tensor<%dxf32>\n' %
            (name, name, src, vec(pre, "%d"), count, vec(post, "%d"), count,
             vec(w, "%.4f"), count, vec(d, "%.3e"), count, n_src, n_dst))
