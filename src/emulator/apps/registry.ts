/**
 * Which emulated app runs a loaded image: `identifyImage` (stand-in magic or
 * an embedded app name) picks the firmware behaviour. Build a board with
 * `new Board({ machine, registry: createFirmwareRegistry() })`.
 */
import { identifyImage, type AppId } from '../../regions/index.js';
import { AppRegistry, defaultApp, type AppEntry, type CoreApi, type CoreApp } from './app.js';
import { RtCode } from '../layout.js';
import { NeuronCoreApp } from './neuron-core/index.js';
import { SpikeSourceApp } from './spike-source/index.js';

/** The app-name field of vcpu_t holds 15 characters and a NUL. */
const vcpuName = (name: string) => name.slice(0, 15);

class UnsupportedApp implements CoreApp {
  constructor(private readonly api: CoreApi, private readonly app: string) {}
  onStart(): void {
    this.api.runtimeError(RtCode.API, `[ERROR] ${this.app}: this binary is recognised but not emulated yet (emulated: IF_curr_exp, its pair-STDP variants, reverse_iptag_multicast_source)`);
  }
}

/** The emulated app of an identified binary, or undefined when the image is not one we know. */
export function firmwareEntry(app: AppId): AppEntry | undefined {
  switch (app) {
    case 'IF_curr_exp':
      return { name: vcpuName(app), factory: (api) => new NeuronCoreApp(api, { appName: app }) };
    case 'IF_curr_exp_stdp_mad_pair_additive':
      return { name: vcpuName(app), factory: (api) => new NeuronCoreApp(api, { appName: app, plasticity: 'additive' }) };
    case 'IF_curr_exp_stdp_mad_pair_multiplicative':
      return { name: vcpuName(app), factory: (api) => new NeuronCoreApp(api, { appName: app, plasticity: 'multiplicative' }) };
    case 'reverse_iptag_multicast_source':
      return { name: vcpuName(app), factory: (api) => new SpikeSourceApp(api, app) };
    case 'delay_extension':
      return { name: vcpuName(app), factory: (api) => new UnsupportedApp(api, app) };
    default:
      return undefined;
  }
}

const EMULATED: AppId[] = [
  'IF_curr_exp', 'IF_curr_exp_stdp_mad_pair_additive', 'IF_curr_exp_stdp_mad_pair_multiplicative',
  'reverse_iptag_multicast_source', 'delay_extension',
];

/**
 * An AppRegistry that runs every recognised firmware image (real or
 * stand-in) as its emulated app; anything else gets `fallback`.
 */
export function createFirmwareRegistry(fallback: AppEntry = defaultApp): AppRegistry {
  const registry = new AppRegistry(fallback);
  // resolve() tries the matchers one after another on the same image object: identify it once.
  let lastImage: Uint8Array | undefined;
  let lastApp: AppId = 'unknown';
  const appOf = (image: Uint8Array): AppId => {
    if (image !== lastImage) {
      lastImage = image;
      lastApp = identifyImage(image).app;
    }
    return lastApp;
  };
  for (const app of EMULATED) registry.registerMatcher((image) => appOf(image) === app, firmwareEntry(app)!);
  return registry;
}
