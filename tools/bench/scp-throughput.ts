/**
 * SCP memory throughput, client ↔ embedded emulator over UDP on loopback:
 * write and read of a block of SDRAM on chip (0,0), with 1 and 8 requests in
 * flight. One summary line per figure.
 *
 *   npx tsx tools/bench/scp-throughput.ts [--mib 4] [--repeats 3]
 */
import { randomBytes } from 'node:crypto';
import { startEmulator } from '../../src/emulator/index.js';
import { Transceiver } from '../../src/transceiver/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
  return v;
}

async function main(): Promise<void> {
  const mib = arg('mib', 4);
  const repeats = arg('repeats', 3);
  const bytes = Math.round(mib * 1024 * 1024);
  const emu = await startEmulator({ listen: '127.0.0.1', port: 0, bootPort: 0, shape: 'spinn-3' });
  const tx = await Transceiver.open({ address: emu.address, port: emu.port, timeoutMs: 1000, tries: 5 });
  const data = new Uint8Array(randomBytes(bytes));
  const address = 0x61000000;
  try {
    await tx.write(0, 0, address, data.subarray(0, 64 * 1024)); // warm up
    for (const window of [1, 8]) {
      tx.conn.setWindow(window);
      for (const op of ['write', 'read'] as const) {
        let best = Infinity;
        for (let r = 0; r < repeats; r++) {
          const t0 = process.hrtime.bigint();
          if (op === 'write') await tx.write(0, 0, address, data);
          else {
            const back = await tx.read(0, 0, address, bytes);
            if (back[bytes - 1] !== data[bytes - 1]) throw new Error('read-back mismatch');
          }
          best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
        }
        const mbs = bytes / 1e6 / best;
        console.log(`scp-throughput ${op.padEnd(5)} window ${window}: ${mbs.toFixed(2)} MB/s (${(mbs * 8).toFixed(1)} Mbit/s; ${mib} MiB in 256-byte packets, best of ${repeats}, loopback emulator)`);
      }
    }
  } finally {
    await tx.close();
    await emu.close();
  }
}

main().catch((e: unknown) => {
  console.error(`scp-throughput: ${(e as Error).message}`);
  process.exit(1);
});
