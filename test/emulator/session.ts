import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type EmulatedBoard, type EmulatorOptions } from '../../src/emulator/index.js';
import { TestClient } from './client.js';

/**
 * Starts an emulator on ephemeral loopback ports with a connected TestClient
 * before the enclosing describe's tests, hands both to `ready`, and closes
 * them afterwards.
 */
export function withEmulator(opts: EmulatorOptions, ready: (emu: EmulatedBoard, client: TestClient) => void): void {
  let emu: EmulatedBoard | undefined;
  let client: TestClient | undefined;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, bootPort: 0, ...opts });
    client = await TestClient.connect(emu.address, emu.port);
    ready(emu, client);
  });
  afterAll(async () => {
    client?.close();
    await emu?.close();
  });
}
