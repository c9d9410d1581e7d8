#!/usr/bin/python3
"""Run one benchmark workload (written by tools/bench/brian2/workload.ts) in Brian2.

    /usr/bin/python3 tools/bench/brian2/run_network.py WORKLOAD.json [--target cython|numpy]

The same IF_curr_exp network as the emulator side: LIF with exponential
current synapses (PyNN semantics, nA / nF / mV / ms), dt = 1 ms, the given
input spike times through a SpikeGeneratorGroup, the given synapses (i, j,
weight, delay), and optionally pair STDP with additive weight dependence and
all-to-all pairing (sPyNNaker's pair rule: each pre spike depresses by
A_minus x post trace, each post spike potentiates by A_plus x pre trace,
traces add 1 per spike; weights clipped to [w_min, w_max]).

Timing: a short warm-up run first (it generates and compiles the code, or
loads it from the cache), then the state is restored and the full run is
timed on its own, --repeats times from the same initial state (run_s / cpu_s are
the fastest wall / CPU times). Prints one JSON object on stdout (figures of the last repeat).
"""
import json
import os
import sys
import time

if len(sys.argv) < 2:
    sys.exit("usage: run_network.py WORKLOAD.json [--target cython|numpy]")
path = sys.argv[1]
target = "cython"
if "--target" in sys.argv:
    target = sys.argv[sys.argv.index("--target") + 1]
repeats = 1
if "--repeats" in sys.argv:
    repeats = int(sys.argv[sys.argv.index("--repeats") + 1])

import warnings
warnings.filterwarnings("ignore")
import logging
t_import = time.perf_counter()
import numpy as np
import brian2 as b2
from brian2 import ms, mV, nA, nF, volt, amp
b2.BrianLogger.log_level_error()
logging.getLogger("py.warnings").setLevel(logging.ERROR)
import_s = time.perf_counter() - t_import

with open(path) as f:
    W = json.load(f)

b2.prefs.codegen.target = target
b2.defaultclock.dt = W["dt_ms"] * ms
c = W["cell"]
n_pre, n_post = W["n_pre"], W["n_post"]
duration = W["duration_ms"] * ms
stdp = W["stdp"]

eqs = """
dv/dt = (v_rest - v) / tau_m + (ie - ii + i_offset) / c_m : volt (unless refractory)
die/dt = -ie / tau_syn_e : amp
dii/dt = -ii / tau_syn_i : amp
"""
ns = dict(
    v_rest=c["v_rest"] * mV, v_reset=c["v_reset"] * mV, v_thresh=c["v_thresh"] * mV,
    tau_m=c["tau_m"] * ms, c_m=c["cm"] * nF, i_offset=c["i_offset"] * nA,
    tau_syn_e=c["tau_syn_E"] * ms, tau_syn_i=c["tau_syn_I"] * ms,
)
post = b2.NeuronGroup(n_post, eqs, threshold="v >= v_thresh", reset="v = v_reset",
                      refractory=c["tau_refrac"] * ms, method="exact", namespace=ns, name="post")
post.v = c["v"] * mV

idx = np.asarray(W["spike_indices"], dtype=np.int32)
times = np.asarray(W["spike_times_ms"], dtype=np.float64)
inp = b2.SpikeGeneratorGroup(n_pre, idx, times * ms, name="inp")

syn_i = np.asarray(W["syn_i"], dtype=np.int32)
syn_j = np.asarray(W["syn_j"], dtype=np.int32)
syn_w = np.asarray(W["syn_w_nA"], dtype=np.float64)

if stdp is None:
    S = b2.Synapses(inp, post, "w : amp", on_pre="ie_post += w", name="syn")
else:
    sns = dict(tau_plus=stdp["tau_plus"] * ms, tau_minus=stdp["tau_minus"] * ms,
               A_plus=stdp["A_plus"] * nA, A_minus=stdp["A_minus"] * nA,
               w_min=stdp["w_min"] * nA, w_max=stdp["w_max"] * nA)
    S = b2.Synapses(inp, post, """
        w : amp
        dapre/dt = -apre / tau_plus : 1 (event-driven)
        dapost/dt = -apost / tau_minus : 1 (event-driven)
        """,
        on_pre="""
        w = clip(w - A_minus * apost, w_min, w_max)
        ie_post += w
        apre += 1
        """,
        on_post="""
        w = clip(w + A_plus * apre, w_min, w_max)
        apost += 1
        """, namespace=sns, name="syn")
S.connect(i=syn_i, j=syn_j)
S.w = syn_w * nA
S.delay = W["delay_ms"] * ms

spikes = b2.SpikeMonitor(post, record=False, name="post_spikes")
net = b2.Network(inp, post, S, spikes)
net.store("start")

t0 = time.perf_counter()
net.run(min(20, W["duration_ms"]) * ms)
warmup_s = time.perf_counter() - t0

run_times, cpu_times = [], []
for _ in range(repeats):
    net.restore("start")
    t0, c0 = time.perf_counter(), time.process_time()
    net.run(duration)
    cpu_times.append(time.process_time() - c0)
    run_times.append(time.perf_counter() - t0)
run_s = min(run_times)
cpu_s = min(cpu_times)

steps = int(round(W["duration_ms"] / W["dt_ms"]))
out_degree = np.bincount(syn_i, minlength=n_pre)
events = int(out_degree[idx].sum())
res = dict(
    brian2=b2.__version__, target=target, import_s=import_s, warmup_s=warmup_s, run_s=run_s, run_times_s=run_times, cpu_s=cpu_s, cpu_times_s=cpu_times,
    neuron_updates=n_post * steps, events=events, post_spikes=int(spikes.num_spikes),
    cache_dir=os.path.expanduser("~/.cython/brian_extensions") if target == "cython" else None,
)
if stdp is not None:
    res["mean_weight_nA"] = float(np.mean(S.w[:] / nA))
print(json.dumps(res))
