import { type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { type ConnectionOptions, Transceiver } from '../../src/transceiver/index.js';

export interface TestBoard {
  tx: Transceiver;
  address: string;
  port: number;
  /** True when talking to the emulator started here (false with SPINN_BOARD). */
  emulated: boolean;
  close(): Promise<void>;
}

/**
 * A board for a test: the emulator on loopback with ephemeral ports, or the
 * board SPINN_BOARD names (then `emulator` options are ignored).
 */
export async function openTestBoard(emulator: EmulatorOptions = {}, conn: Partial<ConnectionOptions> = {}): Promise<TestBoard> {
  const board = process.env.SPINN_BOARD;
  if (board) {
    const tx = await Transceiver.open({ address: board, ...conn });
    return { tx, address: board, port: 17893, emulated: false, close: () => tx.close() };
  }
  const emu = await startEmulator({ listen: '127.0.0.1', port: 0, bootPort: 0, ...emulator });
  const tx = await Transceiver.open({ address: emu.address, port: emu.port, ...conn });
  return {
    tx,
    address: emu.address,
    port: emu.port,
    emulated: true,
    async close() {
      await tx.close();
      await emu.close();
    },
  };
}
