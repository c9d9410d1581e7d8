/**
 * NEURON_PARAMS (region 2) of IF_curr_exp and its STDP variants: one global
 * word (n_steps_per_timestep), then struct-of-arrays per component: LIF (9
 * words per neuron), current input (none), static threshold (1 word), and
 * exponential synapses (5 words). All parameters are S1615 except
 * refract_timer (int32). The same bytes hold the saved state after a run.
 */
import { encodeS1615, decodeS1615 } from '../fixed/encode.js';
import { type RegionCodec, RegionFormatError, WordReader, bytesToWords, wordsToBytes } from './words.js';

/** Physical parameters in PyNN units (mV, nF, ms, nA). */
export interface IfCurrExpPhysical {
  v: number; v_rest: number; v_reset: number; v_thresh: number;
  tau_m: number; cm: number; tau_refrac: number; i_offset: number;
  tau_syn_E: number; tau_syn_I: number;
  isyn_exc: number; isyn_inh: number;
}

export const IF_CURR_EXP_DEFAULTS: Readonly<IfCurrExpPhysical> = Object.freeze({
  v: -65, v_rest: -65, v_reset: -65, v_thresh: -50, tau_m: 20, cm: 1, tau_refrac: 0.1, i_offset: 0,
  tau_syn_E: 5, tau_syn_I: 5, isyn_exc: 0, isyn_inh: 0,
});

/** Raw words of one neuron, as stored (S1615 raw int32 unless noted). */
export interface IfCurrExpNeuronRaw {
  v: number; vRest: number; cm: number; tauM: number; iOffset: number; vReset: number;
  tauRefrac: number; /** int32 ticks */ refractTimer: number; timestep: number;
  vThresh: number;
  tauSynE: number; isynExc: number; tauSynI: number; isynInh: number; synTimestep: number;
}

export interface IfCurrExpParams {
  nStepsPerTimestep: number;
  neurons: IfCurrExpNeuronRaw[];
}

export const LIF_WORDS = 9;
export const THRESHOLD_WORDS = 1;
export const EXP_SYNAPSE_WORDS = 5;
const PER_NEURON = LIF_WORDS + THRESHOLD_WORDS + EXP_SYNAPSE_WORDS;

/** The firmware's timestep: the S1615 quantisation of timestep_ms. */
export function quantisedTimestep(timestepMs: number): number {
  return encodeS1615(timestepMs, 'timestep_ms');
}

/** Physical parameters → raw words, exactly as the host writes them (round half to even). */
export function encodeIfCurrExpNeuron(p: IfCurrExpPhysical, timestepMs: number): IfCurrExpNeuronRaw {
  for (const [k, v] of Object.entries(p)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`IF_curr_exp parameter ${k} = ${v} is not a finite number`);
  }
  const ts = quantisedTimestep(timestepMs);
  return {
    v: encodeS1615(p.v, 'v'), vRest: encodeS1615(p.v_rest, 'v_rest'), cm: encodeS1615(p.cm, 'cm'),
    tauM: encodeS1615(p.tau_m, 'tau_m'), iOffset: encodeS1615(p.i_offset, 'i_offset'),
    vReset: encodeS1615(p.v_reset, 'v_reset'), tauRefrac: encodeS1615(p.tau_refrac, 'tau_refrac'),
    refractTimer: 0, timestep: ts,
    vThresh: encodeS1615(p.v_thresh, 'v_thresh'),
    tauSynE: encodeS1615(p.tau_syn_E, 'tau_syn_E'), isynExc: encodeS1615(p.isyn_exc, 'isyn_exc'),
    tauSynI: encodeS1615(p.tau_syn_I, 'tau_syn_I'), isynInh: encodeS1615(p.isyn_inh, 'isyn_inh'),
    synTimestep: ts,
  };
}

/** Raw words → physical values (exact S1615 decoding). */
export function decodeIfCurrExpNeuron(r: IfCurrExpNeuronRaw): IfCurrExpPhysical & { refract_timer: number } {
  return {
    v: decodeS1615(r.v), v_rest: decodeS1615(r.vRest), v_reset: decodeS1615(r.vReset), v_thresh: decodeS1615(r.vThresh),
    tau_m: decodeS1615(r.tauM), cm: decodeS1615(r.cm), tau_refrac: decodeS1615(r.tauRefrac), i_offset: decodeS1615(r.iOffset),
    tau_syn_E: decodeS1615(r.tauSynE), tau_syn_I: decodeS1615(r.tauSynI),
    isyn_exc: decodeS1615(r.isynExc), isyn_inh: decodeS1615(r.isynInh), refract_timer: r.refractTimer,
  };
}

export const ifCurrExpParams: RegionCodec<IfCurrExpParams> = {
  encodingLength: (p) => 4 * (1 + PER_NEURON * p.neurons.length),
  encode(p) {
    const n = p.neurons.length;
    const w = new Int32Array(1 + PER_NEURON * n);
    w[0] = p.nStepsPerTimestep;
    const lif = 1;
    const thr = lif + LIF_WORDS * n;
    const syn = thr + THRESHOLD_WORDS * n;
    p.neurons.forEach((x, i) => {
      w.set([x.v, x.vRest, x.cm, x.tauM, x.iOffset, x.vReset, x.tauRefrac, x.refractTimer, x.timestep], lif + i * LIF_WORDS);
      w[thr + i] = x.vThresh;
      w.set([x.tauSynE, x.isynExc, x.tauSynI, x.isynInh, x.synTimestep], syn + i * EXP_SYNAPSE_WORDS);
    });
    return wordsToBytes(w);
  },
  decode(bytes) {
    const words = bytesToWords(bytes, 'IF_curr_exp neuron params');
    if ((words.length - 1) % PER_NEURON !== 0) {
      throw new RegionFormatError(`IF_curr_exp neuron params: ${words.length} words is not 1 + ${PER_NEURON} × n_neurons`);
    }
    return decodeIfCurrExpParams(words, (words.length - 1) / PER_NEURON);
  },
};

/** Decode when the region is larger than the data (the reservation may be padded). */
export function decodeIfCurrExpParams(words: Uint32Array, nNeurons: number): IfCurrExpParams {
  const r = new WordReader(words, 'IF_curr_exp neuron params');
  const nStepsPerTimestep = r.u32('n_steps_per_timestep');
  const s = (x: number) => x | 0;
  const lif = r.array(LIF_WORDS * nNeurons, 'lif').map(s);
  const thr = r.array(THRESHOLD_WORDS * nNeurons, 'threshold').map(s);
  const syn = r.array(EXP_SYNAPSE_WORDS * nNeurons, 'synapse').map(s);
  const neurons: IfCurrExpNeuronRaw[] = [];
  for (let i = 0; i < nNeurons; i++) {
    const l = lif.slice(i * LIF_WORDS, (i + 1) * LIF_WORDS);
    const y = syn.slice(i * EXP_SYNAPSE_WORDS, (i + 1) * EXP_SYNAPSE_WORDS);
    neurons.push({
      v: l[0]!, vRest: l[1]!, cm: l[2]!, tauM: l[3]!, iOffset: l[4]!, vReset: l[5]!, tauRefrac: l[6]!, refractTimer: l[7]!, timestep: l[8]!,
      vThresh: thr[i]!,
      tauSynE: y[0]!, isynExc: y[1]!, tauSynI: y[2]!, isynInh: y[3]!, synTimestep: y[4]!,
    });
  }
  return { nStepsPerTimestep, neurons };
}
