/**
 * Parameters of the board-side pieces, in PyNN units (ms, nF, mV, nA), named as
 * PyNN / sPyNNaker name them so the backend can pass them straight through.
 */
import type { PairStdpParams } from '../network/index.js';

/** IF_curr_exp cell parameters. */
export interface NeuronParams {
  tau_m: number;
  cm: number;
  v_rest: number;
  v_reset: number;
  v_thresh: number;
  tau_refrac: number;
  tau_syn_E: number;
  tau_syn_I: number;
  i_offset: number;
}

/** STDPMechanism(SpikePairRule(tau_plus, tau_minus, A_plus, A_minus), AdditiveWeightDependence(w_min, w_max)). */
export type StdpParams = PairStdpParams;

export const PYNN_IF_CURR_EXP_DEFAULTS: NeuronParams = {
  tau_m: 20,
  cm: 1,
  v_rest: -65,
  v_reset: -65,
  v_thresh: -50,
  tau_refrac: 0.1,
  tau_syn_E: 5,
  tau_syn_I: 5,
  i_offset: 0,
};
