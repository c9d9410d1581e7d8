import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as aplx from '../../src/protocol/aplx.js';
import * as app from '../../src/protocol/app.js';
import * as ff from '../../src/protocol/floodfill.js';
import * as cmd from '../../src/protocol/commands.js';
import { ScpCommand } from '../../src/protocol/constants.js';
import { DecodeError } from '../../src/protocol/errors.js';
import { bodyLaws } from './laws.js';
import { expectOnlyDecodeError, mutatedBytes, u32 } from './fuzz.js';

const u8 = fc.integer({ min: 0, max: 255 });
const nonZero = fc.integer({ min: 1, max: 0xffffffff });
const idOpMask = fc.record({ appId: u8, appFlags: fc.integer({ min: 0, max: 63 }), coreMask: fc.integer({ min: 0, max: 0x3ffff }) });

// An APLX file whose RCOPY sources lie inside it.
const aplxFile = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('acopy' as const), dest: u32, src: u32, length: nonZero }),
        fc.record({ op: fc.constant('rcopy' as const), dest: u32, srcOffset: fc.integer({ min: 0, max: 64 }), length: fc.integer({ min: 1, max: 64 }) }),
        fc.record({ op: fc.constant('fill' as const), dest: u32, length: nonZero, word: u32 }),
        fc.record({ op: fc.constant('exec' as const), entry: u32 }),
      ),
      { maxLength: 6 },
    ),
    fc.integer({ min: 0, max: 255 }).filter((c) => c < 1 || c > 4),
  )
  .map(([recs, code]) => {
    const records: aplx.AplxRecord[] = [...recs, { op: 'end', code }];
    return { records, images: new Uint8Array(128).map((_, i) => i) };
  });

describe('APLX', () => {
  it('round-trips random record tables', () => {
    fc.assert(
      fc.property(aplxFile, ({ records, images }) => {
        const file = aplx.encode(records, images);
        expect(file.length).toBe(aplx.encodingLength(records, images));
        expect(aplx.decode(file).records).toEqual(records);
      }),
    );
  });

  it('gives only DecodeError on random and mutated files', () => {
    fc.assert(
      fc.property(mutatedBytes(aplxFile.map(({ records, images }) => aplx.encode(records, images))), (b) => expectOnlyDecodeError(() => aplx.decode(b))),
      { numRuns: 500 },
    );
  });

  it('reads a mkaplx-shaped header and turns it into loader steps', () => {
    // 64-byte header: RCOPY code to ITCM 0 from offset 64, RCOPY data to DTCM, FILL zero area, EXEC 0.
    const ro = 100;
    const rw = 40;
    const records: aplx.AplxRecord[] = [
      { op: 'rcopy', dest: 0, srcOffset: 64, length: ro },
      { op: 'rcopy', dest: 0x00400000, srcOffset: 64 + ro - 16, length: rw },
      { op: 'fill', dest: 0x00400000 + rw, length: 8, word: 0 },
      { op: 'exec', entry: 0 },
      { op: 'end', code: 0xff },
    ];
    const file = aplx.encode(records, new Uint8Array(ro + rw - 16));
    expect(Buffer.from(file.subarray(0, 16)).toString('hex')).toBe('02000000' + '00000000' + '40000000' + '64000000');
    const steps = aplx.loadSteps(aplx.decode(file), 0x67800000);
    expect(steps).toEqual([
      { kind: 'copy', dest: 0, src: 0x67800040, length: 128 },
      { kind: 'copy', dest: 0x00400000, src: 0x67800000 + 16 + 64 + ro - 16, length: 64 },
      { kind: 'fill', dest: 0x00400028, length: 32, word: 0 },
      { kind: 'exec', entry: 0 },
    ]);
  });

  it('names the problem in a malformed file', () => {
    const err = (b: Uint8Array) => {
      try {
        aplx.decode(b);
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err(new Uint8Array(5))).toMatch(/shorter than one 16-byte record/);
    expect(err(aplx.encodeTable([{ op: 'exec', entry: 0 }, { op: 'end', code: 0xff }]).subarray(0, 16))).toMatch(/without an END record/);
    expect(err(aplx.encode([{ op: 'rcopy', dest: 0, srcOffset: 32, length: 1000 }, { op: 'end', code: 0xff }]))).toMatch(/record 0 \(RCOPY\) reads 1000 bytes .* beyond/);
    expect(err(aplx.encode([{ op: 'fill', dest: 0, length: 0, word: 0 }, { op: 'end', code: 0xff }]))).toMatch(/record 0 \(FILL\) has length 0/);
  });
});

bodyLaws('CMD_AR request', app.arRequest, idOpMask);
bodyLaws('CMD_AS request', app.asRequest, fc.record({ address: u32, idOpMask }));
bodyLaws('CMD_APP_COPY_RUN request', app.appCopyRunRequest, fc.record({ link: fc.integer({ min: 0, max: 7 }), checksum: fc.integer({ min: 0, max: 0x1fffffff }), size: u32, idOpMask }));
bodyLaws('CMD_SIG request', app.sigRequest, fc.record({ type: u32, word: u32, region: u32 }));
bodyLaws('CMD_COUNT request', app.countRequest, fc.record({ appId: u32, state: u32 }));
bodyLaws('arg1 reply', app.arg1Reply, u32);
bodyLaws('CMD_NNP request', ff.nnpRequest, fc.record({ key: u32, data: u32, forward: u8, retry: u8, addId: fc.boolean() }));
bodyLaws(
  'CMD_FFD request',
  ff.ffdRequest,
  fc.record({ forward: u8, retry: u8, pid: u8, block: u8, address: u32, data: fc.integer({ min: 1, max: 64 }).chain((w) => fc.uint8Array({ minLength: 4 * w, maxLength: 4 * w })) }),
);
bodyLaws('CMD_READ request', cmd.readRequest, fc.record({ address: u32, length: u32, type: u32 }));
bodyLaws('CMD_WRITE request', cmd.writeRequest, fc.record({ address: u32, type: u32, data: fc.uint8Array({ maxLength: 256 }) }));
bodyLaws('CMD_LINK_READ request', cmd.linkReadRequest, fc.record({ address: u32, length: u32, link: u32 }));
bodyLaws('CMD_FILL request', cmd.fillRequest, fc.record({ address: u32, word: u32, length: u32 }));
bodyLaws('CMD_LED request', cmd.ledRequest, fc.record({ actions: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 16, maxLength: 16 }), arg2: u32 }));
bodyLaws('CMD_REMAP request', cmd.remapRequest, fc.record({ core: u32, physical: fc.boolean() }));
bodyLaws('CMD_SYNC request', cmd.syncRequest, fc.record({ on: fc.boolean() }));

describe('words the clients send', () => {
  it('id_op_mask: app_id<<24 | flags<<18 | cores', () => {
    fc.assert(fc.property(idOpMask, (m) => {
      expect(app.decodeIdOpMask(app.encodeIdOpMask(m))).toEqual(m);
    }));
    expect(app.encodeIdOpMask({ appId: 16, appFlags: app.APP_FLAG_WAIT, coreMask: app.coresToMask([1, 2, 17]) })).toBe(0x10060000 | 0b110 | (1 << 17));
    expect(app.maskToCores(0b1010)).toEqual([1, 3]);
  });

  it('rig send_signal: a2 = sig<<16 | 0xFF00 | app_id, a3 = 0xFFFF; NN for stop, MC for sync0', () => {
    expect(app.appSignal(app.Signal.STOP, 30)).toEqual({ type: 2, word: 0x0002ff1e, region: 0xffff });
    expect(app.appSignal(app.Signal.SYNC0, 30).type).toBe(app.SigType.MC);
    expect(app.decodeSignalWord(0x0002ff1e)).toEqual({ signal: 2, appMask: 0xff, appId: 30 });
  });

  it('rig count_cores_in_state: (1<<22) | (2<<20) | state<<16 | 0xFF00 | app_id', () => {
    expect(app.p2pCountRequest(5, 30)).toEqual({ type: 1, word: (1 << 22) | (2 << 20) | (5 << 16) | 0xff00 | 30, region: 0xffff });
    fc.assert(
      fc.property(fc.record({ level: fc.nat(3), op: fc.nat(3), mode: fc.nat(3), arg: fc.nat(15), appMask: u8, appId: u8 }), (w) => {
        expect(app.decodeP2pWord(app.encodeP2pWord(w))).toEqual(w);
      }),
    );
  });

  it('flood fill keys: FFS 6<<24 | pid<<16 | n<<8 with add-id, FFE 15<<24 | pid, a3 = 0x3F18', () => {
    const ffs = ff.nnpRequest.encode(ff.floodFillStart(2, 27));
    expect(ffs.args).toEqual([0x06021b00, 0, 0x80003f18]);
    expect(ff.decodeFfsKey(ffs.args[0])).toMatchObject({ pid: 2, nBlocks: 27 });
    expect(ff.nnpRequest.encode(ff.floodFillCores(0x3fffe)).args).toEqual([0x0703fffe, 0xffff, 0x3f18]);
    const ffe = ff.nnpRequest.encode(ff.floodFillEnd(2, { appId: 16, appFlags: 1, coreMask: 0x2 }));
    expect(ffe.args).toEqual([0x0f000002, 0x10040002, 0x3f18]);
    expect(ff.nnKeyCommand(ffe.args[0])).toBe(ff.NnCmd.FFE);
    expect(() => ff.ffsKey(3, 1)).toThrow(/even/);
  });

  it('FFD: a1 = fwd<<24 | rty<<16 | pid, a2 = block<<16 | (words-1)<<8', () => {
    const b = ff.ffdRequest.encode({ forward: 0x3f, retry: 0x18, pid: 4, block: 3, address: 0x67800300, data: new Uint8Array(256) });
    expect(b.args).toEqual([0x3f180004, 0x00033f00, 0x67800300]);
    expect(() => ff.ffdRequest.decode({ args: b.args, data: new Uint8Array(8) })).toThrow(DecodeError);
  });

  it('ybug app_stop and gw: NNP a3 = 0x80003F00 / 0x80003FF8', () => {
    expect(ff.nnpRequest.encode(ff.nnSignalRequest(2, 17)).args).toEqual([0x003f0000, (5 << 28) | (2 << 16) | (0xff << 8) | 17, 0x80003f00]);
    expect(ff.nnpRequest.encode(ff.nnMemWriteRequest(3, 2, 4, 7)).args).toEqual([(4 << 24) | (2 << 18) | (3 << 16) | (4 << 8), 7, 0x80003ff8]);
  });

  it('regions: one chip at level 3, the whole machine at level 0', () => {
    const r = ff.regionForChip(5, 6, 3);
    expect(ff.decodeRegion(r)).toEqual({ level: 3, x: 4, y: 4, selects: 1 << (1 + 4 * 2) });
    expect(ff.regionContains(r, 5, 6)).toBe(true);
    expect(ff.regionContains(r, 5, 7)).toBe(false);
    expect(ff.regionContains(ff.REGION_ALL, 200, 13)).toBe(true);
    fc.assert(fc.property(u8, u8, fc.nat(3), (x, y, l) => {
      expect(ff.regionContains(ff.regionForChip(x, y, l), x, y)).toBe(true);
    }));
  });

  it('access type as rig chooses it, and reply arg counts', () => {
    expect(cmd.accessType(0x60000000, 256)).toBe(2);
    expect(cmd.accessType(0x60000002, 2)).toBe(1);
    expect(cmd.accessType(0x60000001, 4)).toBe(0);
    expect(cmd.transferArgsValid(257, 0)).toBe(false);
    expect(cmd.ledRequest.encode({ actions: cmd.ledActions({ 0: 'on', 1: 'off', 3: 'toggle' }), arg2: 0 }).args[0]).toBe(3 | (2 << 2) | (1 << 6));
    expect(cmd.replyArgCount(ScpCommand.VER)).toBe(3);
    expect(cmd.replyArgCount(ScpCommand.IPTAG, [0x00010003])).toBe(1);
    expect(cmd.replyArgCount(ScpCommand.IPTAG, [0x00020003])).toBe(0);
    expect(cmd.replyArgCount(ScpCommand.ALLOC, [6])).toBe(2);
    expect(cmd.replyArgCount(ScpCommand.RTR, [3, 0x80000000])).toBe(1);
    expect(cmd.replyArgCount(ScpCommand.READ)).toBe(0);
  });

  it('APP_COPY_RUN checksum is the 29-bit word sum', () => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, 0xffffffff, true);
    new DataView(b.buffer).setUint32(4, 2, true);
    expect(app.appCopyChecksum(b)).toBe(1);
  });
});
