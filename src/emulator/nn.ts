import { decodeIdOpMask, decodeSignalWord } from '../protocol/app.js';
import { EMPTY } from '../protocol/body.js';
import { LedAction, ledRequest } from '../protocol/commands.js';
import { decodeFfBlockKey, decodeFfsKey, decodeNnMemWriteKey, floodFillId, NnCmd, nnKeyCommand } from '../protocol/floodfill.js';
import type { EmulatedChip } from './chip.js';
import { SV_SV, SYSCTL_BASE, SYSRAM_BASE } from './layout.js';

/**
 * Nearest-neighbour commands as every chip handles them (scamp-nn.c
 * nn_rcv_pkt). The emulator delivers each NN flood to every live chip
 * once, root included, in chip order; flood ids only matter for the
 * flood-fill protocol (FFS/FBS/FBD/FBE/FFE), which is kept exact.
 * Keys are taken apart with the src/protocol/floodfill.ts codecs.
 */
export const NN_CMD = NnCmd;

export interface NnContext {
  /** 3.x: FFS arms loading when the chip is in the region; 4.0.0: only FFCS arms it. */
  ffsArms: boolean;
  /** 4.0.0: FFCS ignores the region. */
  ffcsIgnoresRegion: boolean;
  inRegion(chip: EmulatedChip, region: number): boolean;
}

/** Handles one NN packet on one chip. */
export function nnReceive(ctx: NnContext, chip: EmulatedChip, key: number, data: number): void {
  const cmd = nnKeyCommand(key);
  const ff = chip.ff;
  switch (cmd) {
    case NN_CMD.SIG0: {
      const op = data >>> 28;
      if (op === 0) {
        chip.setSv('forward', (data >>> 8) & 255);
        chip.setSv('retry', data & 255);
      } else if (op === 1) {
        ledSet(chip, ledRequest.decode({ args: [data, 0, 0], data: EMPTY }).actions);
      } else if (op === 2) {
        chip.setSv('tp_scale', data & 15);
        chip.setSv('tp_timer', 0);
      } else if (op === 5) {
        chip.signalApp(data);
      }
      return;
    }
    case NN_CMD.RTRC:
      chip.rtrRegs.controlCommand(data);
      return;
    case NN_CMD.SIG1: {
      const { sub, type, op, offset } = decodeNnMemWriteKey(key);
      if (sub !== 0) return;
      const base = [SV_SV, SYSRAM_BASE, SYSCTL_BASE, chip.sv('mem_ptr')][op];
      const ptr = (base + offset) >>> 0;
      if (!chip.mem.isMapped(ptr, 4)) return;
      if (type === 0) chip.mem.writeU8(ptr, data);
      else if (type === 1) chip.mem.writeU16(ptr & ~1, data);
      else chip.mem.writeU32((ptr & ~3) >>> 0, data);
      return;
    }
    case NN_CMD.FFS: {
      const { pid, nBlocks } = decodeFfsKey(key);
      ff.id = floodFillId(pid);
      ff.blockLen = nBlocks;
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
      const { id, block, field } = decodeFfBlockKey(key);
      if (id !== ff.id || ff.state !== 'exblk') return;
      if (ff.fbs.has(block)) return;
      ff.fbs.add(block);
      ff.loadAddr = data >>> 0;
      ff.sum = data >>> 0;
      ff.wordLen = field + 1;
      ff.blockNum = block;
      ff.wordCount = 0;
      ff.buf.clear();
      ff.state = 'inblk';
      return;
    }
    case NN_CMD.FBD: {
      const { id, block, field: offset } = decodeFfBlockKey(key);
      if (id !== ff.id || block !== ff.blockNum || ff.state !== 'inblk') return;
      if (ff.buf.has(offset)) return;
      ff.wordCount++;
      ff.buf.set(offset, data >>> 0);
      ff.sum = (ff.sum + data) >>> 0;
      return;
    }
    case NN_CMD.FBE: {
      const { id, block } = decodeFfBlockKey(key);
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
      const { id } = decodeFfBlockKey(key);
      if (id !== ff.id || ff.state !== 'exblk') return;
      ff.state = 'idle';
      if (!ff.error && ff.blockCount === ff.blockLen && ff.load) {
        chip.startApp(chip.sdramSys, decodeIdOpMask((data | ff.cores) >>> 0));
      }
      return;
    }
    default:
      return;
  }
}

/** sark_led_set on a board with 4 LEDs: on, off or toggle per LED (CMD_LED's 2-bit actions). */
export function ledSet(chip: EmulatedChip, actions: number[]): void {
  for (let n = 0; n < 4; n++) {
    const op = actions[n];
    if (op === LedAction.ON) chip.leds |= 1 << n;
    else if (op === LedAction.OFF) chip.leds &= ~(1 << n);
    else if (op === LedAction.TOGGLE) chip.leds ^= 1 << n;
  }
}
