"""Run a JSON network description (the `spinn run` format; SpikeSourceArray,
IF_curr_exp, static AllToAll / OneToOne / FromList projections) in Brian2
with floating-point state and exact integration, and print the spike times
of every recorded population as JSON: {"<label>": [[ms, ...], ...]}.

    /usr/bin/python3 tools/brian-compare/run_brian.py NET.json
"""
import json
import sys

import numpy as np
from brian2 import NeuronGroup, Network, SpikeGeneratorGroup, SpikeMonitor, Synapses, defaultclock, ms, prefs

prefs.codegen.target = 'numpy'

DEFAULTS = dict(tau_m=20.0, cm=1.0, v_rest=-65.0, v_reset=-65.0, v_thresh=-50.0, tau_syn_E=5.0, tau_syn_I=5.0,
                tau_refrac=0.1, i_offset=0.0, v=-65.0)

# PyNN IF_curr_exp in PyNN units (mV, nA, nF, ms); nA / nF = mV / ms.
EQS = '''
dv/dt = ((v_rest - v) / tau_m + (ie - ii + i_offset) / c_m) / ms : 1 (unless refractory)
die/dt = -ie / (tau_syn_E * ms) : 1
dii/dt = -ii / (tau_syn_I * ms) : 1
tau_m : 1
c_m : 1
v_rest : 1
v_reset : 1
v_thresh : 1
tau_syn_E : 1
tau_syn_I : 1
tau_refrac : 1
i_offset : 1
'''


def main(path):
    d = json.load(open(path))
    dt = d.get('timestep', 1.0)
    defaultclock.dt = dt * ms
    net = Network()
    groups = {}
    monitors = {}
    for p in d['populations']:
        n = p['size']
        params = p.get('params', {})
        if p['cell'] == 'SpikeSourceArray':
            st = params.get('spike_times', [])
            lists = st if st and isinstance(st[0], list) else [st] * n
            idx = [i for i, l in enumerate(lists) for _ in l]
            times = [t for l in lists for t in l]
            g = SpikeGeneratorGroup(n, np.array(idx, dtype=int), np.array(times) * ms)
        else:
            g = NeuronGroup(n, EQS, threshold='v >= v_thresh', reset='v = v_reset', refractory='tau_refrac * ms',
                            method='exact')
            for k, default in DEFAULTS.items():
                setattr(g, 'c_m' if k == 'cm' else k, params.get(k, default))
        groups[p['label']] = g
        net.add(g)
        if 'spikes' in p.get('record', []):
            monitors[p['label']] = SpikeMonitor(g)
            net.add(monitors[p['label']])
    for k, pr in enumerate(d.get('projections', [])):
        pre, post = groups[pr['pre']], groups[pr['post']]
        var = 'ii' if pr.get('receptor') == 'inhibitory' else 'ie'
        s = Synapses(pre, post, 'w : 1', on_pre=f'{var}_post += w')
        c = pr['connector']
        w0, d0 = abs(pr.get('weight', 0.0)), pr.get('delay', dt)
        if c['type'] == 'AllToAll':
            s.connect(condition=None if c.get('allow_self_connections', True) or pre is not post else 'i != j')
            s.w = w0
            s.delay = d0 * ms
        elif c['type'] == 'OneToOne':
            s.connect(j='i')
            s.w = w0
            s.delay = d0 * ms
        elif c['type'] == 'FromList':
            conns = c['connections']
            s.connect(i=np.array([x[0] for x in conns]), j=np.array([x[1] for x in conns]))
            s.w = np.array([abs(x[2]) if len(x) > 2 else w0 for x in conns])
            s.delay = np.array([x[3] if len(x) > 3 else d0 for x in conns]) * ms
        else:
            raise SystemExit(f'connector {c["type"]} is not supported by this comparison script')
        net.add(s)
    net.run(d['run'] * ms)
    out = {}
    for label, m in monitors.items():
        trains = m.spike_trains()
        out[label] = [[round(float(t / ms), 6) for t in trains[i]] for i in range(len(trains))]
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv[1])
