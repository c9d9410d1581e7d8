/**
 * The pair-STDP window through the whole path (map, load over SCP on
 * loopback, run, read the weights back from the board), checked point by
 * point against the bit-exact kernels on the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_STDP_WINDOW, Simulator, measureStdpWindow } from '../../src/run/index.js';

describe('STDP window through the whole path', () => {
  it('stored weights equal the kernels exactly; depression before, potentiation after, decaying with |Δt|', async () => {
    const dts = [-40, -20, -5, -1, 0, 1, 5, 20, 40];
    const sim = await Simulator.connect({ progress: false });
    let res;
    try {
      res = await measureStdpWindow(sim, dts);
    } finally {
      await sim.end();
    }
    const p = DEFAULT_STDP_WINDOW;
    expect(res.scale).toBe(1024);
    expect(res.w0raw).toBe(p.w0 * 1024);
    for (const q of res.points) {
      expect(q.nPost, `Δt ${q.wanted}: post spikes`).toBe(1);
      expect(q.dt).toBe(q.wanted);
      expect(q.raw, `Δt ${q.wanted}: board vs kernels`).toBe(q.kernelRaw);
      expect(q.dRaw).toBe(q.raw - res.w0raw);
      expect(q.dW).toBe(q.dRaw / 1024);
      // The firmware sees the post spike one dendritic delay (1 ms) late at the synapse:
      // lag = Δt + 1; Δt < 0 depresses, Δt ≥ 0 potentiates.
      const lag = q.wanted + 1;
      const expected = lag > 0 ? p.A_plus * Math.exp(-lag / p.tau_plus) : -p.A_minus * Math.exp(lag / p.tau_minus);
      expect(Math.sign(q.dRaw)).toBe(Math.sign(expected));
      // Fixed-point LUTs truncate: within 2 stored units of the float window.
      expect(Math.abs(q.dRaw - expected * 1024)).toBeLessThanOrEqual(2);
    }
    const mag = res.points.map((q) => Math.abs(q.dRaw));
    const before = mag.slice(0, 4), after = mag.slice(4);
    expect(before).toEqual([...before].sort((a, b) => a - b));
    expect(after).toEqual([...after].sort((a, b) => b - a));
  }, 60_000);

  it('refuses Δt outside ±50 ms or not whole ms before anything runs', async () => {
    const sim = await Simulator.connect({ progress: false });
    try {
      await expect(measureStdpWindow(sim, [60])).rejects.toThrow(/Δt 60 must be a whole number of ms within ±50/);
      await expect(measureStdpWindow(sim, [0.5])).rejects.toThrow(/Δt 0.5/);
      expect(sim.runPlan).toBeUndefined();
    } finally {
      await sim.end();
    }
  });
});
