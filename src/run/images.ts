/**
 * The APLX image for each app: the real binary from a configured directory
 * (a real board needs those), else a stand-in the emulator recognises.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SpinnConfig } from '../config/index.js';
import { type SupportedApp, aplxFileName, assertImageAllowed, buildStandInImage, identifyImage } from '../regions/index.js';
import { RunError } from './errors.js';

export interface AppImage {
  app: SupportedApp;
  bytes: Uint8Array;
  /** File it came from, or undefined for a stand-in. */
  file?: string;
  sha256: string;
  standIn: boolean;
}

/** Where real binaries live: `firmware.binaries` in the config. */
export function binariesDir(config: SpinnConfig | undefined): string | undefined {
  return config?.firmware?.binaries;
}

export class ImageSource {
  private readonly cache = new Map<SupportedApp, AppImage>();

  constructor(private readonly dir: string | undefined, private readonly target: 'emulator' | 'board') {}

  image(app: SupportedApp): AppImage {
    const hit = this.cache.get(app);
    if (hit) return hit;
    let img: AppImage;
    if (this.dir) {
      const file = resolve(join(this.dir, aplxFileName(app)));
      if (!existsSync(file)) {
        throw new RunError(`binary ${aplxFileName(app)} not found in ${resolve(this.dir)} (firmware.binaries in the config); it must hold the sPyNNaker 7.1.1 binaries`);
      }
      const bytes = new Uint8Array(readFileSync(file));
      const id = identifyImage(bytes, file);
      if (id.app !== app) throw new RunError(`${file} is not recognised as ${app} (identified as ${id.app})`);
      img = { app, bytes, file, sha256: id.sha256, standIn: id.standIn };
    } else {
      const bytes = buildStandInImage(app);
      img = { app, bytes, sha256: identifyImage(bytes).sha256, standIn: true };
    }
    try {
      assertImageAllowed(img.bytes, this.target);
    } catch (e) {
      throw new RunError((e as Error).message);
    }
    this.cache.set(app, img);
    return img;
  }

  loaded(): AppImage[] {
    return [...this.cache.values()];
  }
}
