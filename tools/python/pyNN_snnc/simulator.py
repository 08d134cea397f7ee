"""Simulation state of the snnc PyNN backend.

PyNN builds a network object by object; snnc compiles a whole network at
once. The state therefore collects populations, projections and current
sources, and at the first run() (or the first after reset() or a change)
writes them into an `snnc.Network`, compiles it and opens a session. Later
runs continue that session: each one feeds the inputs (spike arrays, Poisson
sources with a start or duration, injected currents) for its steps and
appends what was recorded to the recorders.

Times: PyNN's are in ms, snnc's in s. A population's spike in step k is
reported at the end of the step, (k + 1) dt; its recorded v after step k is
the sample at (k + 1) dt (sample 0 is the initial value).
"""

from pyNN import common

import snnc

name = "snnc"


class ID(int, common.IDMixin):
    def __init__(self, n):
        int.__init__(n)
        common.IDMixin.__init__(self)


class State(common.control.BaseState):
    def __init__(self):
        common.control.BaseState.__init__(self)
        self.mpi_rank = 0
        self.num_processes = 1
        self.dt = 0.1
        self._min_delay = "auto"
        self.max_delay = 10.0
        self.device = "cpu"
        self.threads = 0
        self.procedural_threshold = 1 << 16
        self.profile = None
        self.rng_seed = 1
        self.clear()

    @property
    def min_delay(self):
        """setup()'s min_delay; for "auto", the smallest delay of the
        projections made so far (dt if there are none)."""
        if self._min_delay != "auto":
            return self._min_delay
        delays = [p._smallest_delay() for p in self.projections]
        delays = [d for d in delays if d is not None]
        return min(delays) if delays else self.dt

    @min_delay.setter
    def min_delay(self, value):
        self._min_delay = value

    def next_seed(self):
        """A seed for the next random source, reproducible from setup's rng_seed."""
        self._seeds += 1
        return (self.rng_seed * 1000003 + self._seeds) % (1 << 31)

    # -- building -------------------------------------------------------------
    def clear(self):
        self.recorders = set()
        self.populations = []
        self.projections = []
        self.current_sources = []
        self.id_counter = 0
        self.segment_counter = -1
        self.session = None
        self.program = None
        self.network = None
        self._seeds = 0
        self.reset()

    def mark_changed(self, what):
        """Something that is compiled into the network changed.

        Before the first run (or after reset()) the network is simply
        compiled again; in the middle of a simulation snnc cannot change a
        compiled network and keep its state, so that is refused.
        """
        if self.t > 0 and self.session is not None:
            raise NotImplementedError(
                f"snnc cannot change {what} in the middle of a simulation (t = "
                f"{self.t:g} ms): the network is compiled at the first run(); "
                "make the change before run() or after reset()")
        self.session = None

    def _build(self):
        from .build import build_network
        self.network, self.profile_used = build_network(self)
        dt_s = self.dt * 1e-3
        self.program = self.network.compile(dt=dt_s, profile=self.profile_used)
        self.session = snnc.Session(snnc.Device(self.device, threads=self.threads),
                                    self.program)
        for recorder in self.recorders:
            recorder._start(self.session)

    # -- running --------------------------------------------------------------
    def run(self, simtime):
        self.run_until(self.t + simtime)

    def run_until(self, tstop):
        steps = int(round((tstop - self.t) / self.dt))
        if not self.populations:      # nothing to compile: time passes
            self.running = True
            self.step += max(steps, 0)
            self.t = self.step * self.dt
            return
        if self.session is None:
            if self.step != 0:
                raise NotImplementedError(
                    "snnc: the network changed after run(); call reset() first")
            self._build()
        self.running = True
        if steps <= 0:
            return
        first = self.step
        for population in self.populations:
            population._feed_inputs(self.session, first, steps)
        for recorder in self.recorders:
            recorder._configure(self.session)
        self.session.run(steps)
        self.step += steps
        self.t = self.step * self.dt
        for recorder in self.recorders:
            recorder._harvest(self.session, first, steps)

    def reset(self):
        self.running = False
        self.t = 0.0
        self.t_start = 0.0
        self.step = 0
        self.segment_counter += 1
        # The compiled network holds the initial state: reset() rewinds the
        # session; a change of initial values after it compiles again.
        if self.session is not None:
            self.session.reset()
            for recorder in self.recorders:
                recorder._start(self.session)


state = State()
