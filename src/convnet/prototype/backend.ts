import type { SpikeTrains } from '../../datasets/spikes.js';
import type { InferenceResult, InferenceRun, LayerTrainingResult, LayerTrainingRun, SpikingBackend } from '../backend.js';
import { ConvInference, eventsToTrains, trainLayer } from './network.js';

/**
 * Host-side float reference of the SpikingBackend: the same dynamics as the
 * board (IF_curr_exp, exponential current synapses, pair STDP with the
 * firmware's deferred updates) in double/float arithmetic, without fixed-point
 * quantisation. Used to design recipes and as a comparison for the emulator.
 */
export class HostFloatBackend implements SpikingBackend {
  readonly name = 'host-float';

  async trainLayer(run: LayerTrainingRun): Promise<LayerTrainingResult> {
    if (run.plastic.weightDependence === 'multiplicative') throw new Error('the host prototype implements additive STDP only; train multiplicative layers on the (emulated) board');
    const w = Float32Array.from(run.plastic.initialWeights);
    const st = trainLayer([run.source], run.durationMs, run.neurons.n, run.neurons.params, run.plastic.stdp, run.inhibition, w, run.record?.spikes, run.gate ? { times: new Set(run.gate.spikes), weight: run.gate.weight } : undefined);
    const out: LayerTrainingResult = { weights: w };
    if (run.record?.spikes) out.spikes = st.spikes!;
    return out;
  }

  async runInference(run: InferenceRun): Promise<InferenceResult> {
    let trains = run.input.spikes;
    const byLayer = new Map<number, SpikeTrains>();
    run.layers.forEach((l, i) => {
      const conv = new ConvInference(l.input, l.shape, l.stride, l.output[2], l.weights, l.params, l.inhibition);
      trains = eventsToTrains(conv.runSlot(trains, run.durationMs), conv.pop.n);
      byLayer.set(i, trains);
    });
    return { spikes: run.recordLayers.map((i) => byLayer.get(i)!) };
  }
}
