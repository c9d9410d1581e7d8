/**
 * Fuzzes an emulated board over real UDP: random and mutated datagrams on
 * the SC&MP and boot ports, then checks that CMD_VER still answers.
 *
 *   npx tsx tools/fuzz-emulator.ts [--count N] [--seed S]
 */
import dgram from 'node:dgram';
import { startEmulator, type EmulatedBoard } from '../src/emulator/index.js';
import { Rng } from '../src/datasets/random.js';

export interface FuzzResult {
  sent: number;
  verOk: boolean;
  crashes: number;
  wallMs: number;
}

/** Valid requests the mutator starts from (all commands, various chips and cores). */
function seeds(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let cmd = 0; cmd <= 33; cmd++) {
    for (const dest of [0x0000, 0xffff, 0x0101, 0x0707]) {
      const d = new Uint8Array(26 + (cmd === 3 || cmd === 23 ? 64 : 0));
      const v = new DataView(d.buffer);
      d[2] = 0x87;
      d[3] = 0xff;
      d[4] = cmd % 5 === 0 ? 1 : 0;
      d[5] = 0xff;
      v.setUint16(6, dest, true);
      v.setUint16(10, cmd, true);
      v.setUint32(14, cmd === 2 || cmd === 3 || cmd === 5 ? 0x60000000 : 0, true);
      v.setUint32(18, cmd === 2 || cmd === 3 ? 64 : 4, true);
      out.push(d);
    }
  }
  // boot packets
  const boot = new Uint8Array(18 + 64);
  const bv = new DataView(boot.buffer);
  bv.setUint16(0, 1);
  bv.setUint32(2, 3);
  out.push(boot);
  return out;
}

function mutate(r: () => number, base: Uint8Array): Uint8Array {
  const len = r() < 0.1 ? Math.floor(r() * 300) : base.length;
  const d = new Uint8Array(len);
  d.set(base.subarray(0, len));
  const flips = 1 + Math.floor(r() * 6);
  for (let i = 0; i < flips && len > 0; i++) {
    const at = Math.floor(r() * len);
    // Bias towards the header and the args, where the interesting fields are.
    const pos = r() < 0.7 ? Math.min(at, 25) : at;
    d[pos] = Math.floor(r() * 256);
  }
  // Keep most mutants on the reply-less path so the transient tags are not all held.
  if (len > 2 && r() < 0.5) d[2] &= 0x7f;
  return d;
}

export async function fuzz(emu: EmulatedBoard, count: number, seed = 1): Promise<FuzzResult> {
  const rng = new Rng(seed >>> 0);
  const r = () => rng.next();
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((res) => sock.bind(0, '127.0.0.1', () => res()));
  const base = seeds();
  const start = performance.now();
  let sent = 0;
  const batch = 50;
  while (sent < count) {
    for (let i = 0; i < batch && sent < count; i++, sent++) {
      let d: Uint8Array;
      if (r() < 0.3) {
        d = new Uint8Array(Math.floor(r() * 300));
        for (let j = 0; j < d.length; j++) d[j] = Math.floor(r() * 256);
      } else {
        d = mutate(r, base[Math.floor(r() * base.length)]);
      }
      sock.send(d, r() < 0.85 ? emu.port : emu.bootPort, emu.address);
    }
    // Let the emulator drain its socket buffer.
    await new Promise((res) => setImmediate(res));
    await new Promise((res) => setTimeout(res, 1));
  }
  await new Promise((res) => setTimeout(res, 100));
  // Clear every tag the fuzz may have set (tags pointing away would swallow our replies).
  for (let t = 0; t < 16; t++) {
    const clr = new Uint8Array(26);
    const v = new DataView(clr.buffer);
    clr[2] = 0x07;
    clr[3] = 0xff;
    clr[5] = 0xff;
    v.setUint16(10, 26, true);
    v.setUint32(14, (3 << 16) | t, true);
    sock.send(clr, emu.port, emu.address);
  }
  await new Promise((res) => setTimeout(res, 50));
  const verOk = await new Promise<boolean>((resolve) => {
    const req = new Uint8Array(26);
    req[2] = 0x87;
    req[3] = 0xff;
    req[5] = 0xff;
    req[12] = 0x34;
    req[13] = 0x12;
    const timer = setTimeout(() => resolve(false), 3000);
    sock.on('message', (d) => {
      if (d.length >= 48 && d[12] === 0x34 && d[13] === 0x12 && d[10] === 0x80 && d.subarray(26, 41).toString('latin1') === 'SC&MP/SpiNNaker') {
        clearTimeout(timer);
        resolve(true);
      }
    });
    sock.send(req, emu.port, emu.address);
  });
  sock.close();
  return { sent, verOk, crashes: emu.counters.crashes, wallMs: performance.now() - start };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (name: string, def: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : def;
  };
  const emu = await startEmulator({ port: 0, bootPort: 0 });
  const res = await fuzz(emu, get('--count', 100_000), get('--seed', 1));
  const b = emu.board!;
  console.log(
    `fuzz: ${res.sent} datagrams in ${(res.wallMs / 1000).toFixed(1)} s; CMD_VER afterwards: ${res.verOk ? 'ok' : 'FAILED'}; ` +
      `handler crashes ${res.crashes}; internal errors ${b.stats.handlerErrors}; memory faults ${b.stats.memoryFaults}; messages ${b.stats.messages}`,
  );
  if (b.stats.lastError) console.log(`last internal error: ${b.stats.lastError}`);
  await emu.close();
  process.exit(res.verOk ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
