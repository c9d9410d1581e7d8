import type { EmulatedChip } from './chip.js';
import { SV, SV_SV, SYSCTL_BASE, SYSRAM_BASE } from './layout.js';

/**
 * Nearest-neighbour commands as every chip handles them (scamp-nn.c
 * nn_rcv_pkt). The emulator delivers each NN flood to every live chip
 * once, root included, in chip order; flood ids only matter for the
 * flood-fill protocol (FFS/FBS/FBD/FBE/FFE), which is kept exact.
 */
export const NN_CMD = {
  SIG0: 0,
  RTRC: 1,
  LTPC: 2,
  SIG1: 4,
  P2PC: 5,
  FFS: 6,
  FFCS: 7,
  P2PB: 8,
  FBS: 12,
  FBD: 13,
  FBE: 14,
  FFE: 15,
} as const;

export interface NnContext {
  /** 3.x: FFS arms loading when the chip is in the region; 4.0.0: only FFCS arms it. */
  ffsArms: boolean;
  /** 4.0.0: FFCS ignores the region. */
  ffcsIgnoresRegion: boolean;
  inRegion(chip: EmulatedChip, region: number): boolean;
}

/** Handles one NN packet on one chip. */
export function nnReceive(ctx: NnContext, chip: EmulatedChip, key: number, data: number): void {
  const cmd = (key >>> 24) & 15;
  const id = (key >>> 1) & 127;
  const ff = chip.ff;
  switch (cmd) {
    case NN_CMD.SIG0: {
      const op = data >>> 28;
      if (op === 0) {
        chip.setSv8(SV.forward, (data >>> 8) & 255);
        chip.setSv8(SV.retry, data & 255);
      } else if (op === 1) {
        ledSet(chip, data);
      } else if (op === 2) {
        chip.setSv8(SV.tp_scale, data & 15);
        chip.setSv32(SV.tp_timer, 0);
      } else if (op === 5) {
        chip.signalApp(data);
      }
      return;
    }
    case NN_CMD.SIG1: {
      const op = (key >>> 20) & 15;
      if (op !== 0) return;
      const type = (key >>> 18) & 3;
      const base = [SV_SV, SYSRAM_BASE, SYSCTL_BASE, chip.sv32(SV.mem_ptr)][(key >>> 16) & 3];
      const ptr = (base + ((key >>> 8) & 255)) >>> 0;
      if (!chip.mem.isMapped(ptr, 4)) return;
      if (type === 0) chip.mem.writeU8(ptr, data);
      else if (type === 1) chip.mem.writeU16(ptr & ~1, data);
      else chip.mem.writeU32((ptr & ~3) >>> 0, data);
      return;
    }
    case NN_CMD.FFS: {
      ff.id = (key >>> 17) & 127;
      ff.blockLen = (key >>> 8) & 255;
      ff.blockCount = 0;
      ff.error = false;
      ff.load = ctx.ffsArms && (data === 0 || ctx.inRegion(chip, data));
      ff.fbs.clear();
      ff.fbe.clear();
      ff.cores = 0;
      ff.lastFfcs = 0n;
      ff.state = 'exblk';
      return;
    }
    case NN_CMD.FFCS: {
      const cores = key & 0x3ffff;
      const seq = (BigInt(data >>> 0) << 18n) | BigInt(cores);
      if (seq <= ff.lastFfcs) return;
      ff.lastFfcs = seq;
      if (!ctx.ffcsIgnoresRegion && data !== 0 && !ctx.inRegion(chip, data)) return;
      ff.load = true;
      ff.cores |= cores;
      return;
    }
    case NN_CMD.FBS: {
      if (id !== ff.id || ff.state !== 'exblk') return;
      const block = (key >>> 16) & 255;
      if (ff.fbs.has(block)) return;
      ff.fbs.add(block);
      ff.loadAddr = data >>> 0;
      ff.sum = data >>> 0;
      ff.wordLen = ((key >>> 8) & 255) + 1;
      ff.blockNum = block;
      ff.wordCount = 0;
      ff.buf.clear();
      ff.state = 'inblk';
      return;
    }
    case NN_CMD.FBD: {
      const block = (key >>> 16) & 255;
      if (id !== ff.id || block !== ff.blockNum || ff.state !== 'inblk') return;
      const offset = (key >>> 8) & 255;
      if (ff.buf.has(offset)) return;
      ff.wordCount++;
      ff.buf.set(offset, data >>> 0);
      ff.sum = (ff.sum + data) >>> 0;
      return;
    }
    case NN_CMD.FBE: {
      const block = (key >>> 16) & 255;
      if (id !== ff.id || block !== ff.blockNum || ff.state !== 'inblk') return;
      if (ff.fbe.has(block)) return;
      ff.fbe.add(block);
      ff.sum = (ff.sum + data) >>> 0;
      if (ff.sum === 0 && ff.wordCount === ff.wordLen && chip.mem.isMapped(ff.loadAddr, ff.wordLen * 4)) {
        ff.blockCount++;
        const bytes = new Uint8Array(ff.wordLen * 4);
        const dv = new DataView(bytes.buffer);
        for (let w = 0; w < ff.wordLen; w++) dv.setUint32(4 * w, ff.buf.get(w) ?? 0, true);
        chip.mem.write(ff.loadAddr, bytes);
      } else {
        ff.error = true;
      }
      ff.state = 'exblk';
      return;
    }
    case NN_CMD.FFE: {
      if (id !== ff.id || ff.state !== 'exblk') return;
      ff.state = 'idle';
      if (!ff.error && ff.blockCount === ff.blockLen && ff.load) {
        chip.startApp(chip.sdramSys, (data | ff.cores) >>> 0);
      }
      return;
    }
    default:
      return;
  }
}

/** sark_led_set: 2 bits per LED — 3 on, 2 off, 1 toggle. */
export function ledSet(chip: EmulatedChip, word: number): void {
  for (let n = 0; n < 4; n++) {
    const op = (word >>> (2 * n)) & 3;
    if (op === 3) chip.leds |= 1 << n;
    else if (op === 2) chip.leds &= ~(1 << n);
    else if (op === 1) chip.leds ^= 1 << n;
  }
}
