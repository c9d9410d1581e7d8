import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as boot from '../../src/protocol/boot.js';
import { expectOnlyDecodeError, mutatedBytes, u32 } from './fuzz.js';

const packet: fc.Arbitrary<boot.BootPacket> = fc.record({
  version: fc.integer({ min: 0, max: 0xffff }),
  opcode: u32,
  operand1: u32,
  operand2: u32,
  operand3: u32,
  data: fc.uint8Array({ maxLength: 1024 }),
});

describe('boot packets', () => {
  it('round-trip random packets', () => {
    fc.assert(
      fc.property(packet, (p) => {
        const b = boot.encode(p);
        expect(b.length).toBe(boot.encodingLength(p));
        expect(boot.decode(b)).toEqual(p);
      }),
      { numRuns: 200 },
    );
  });

  it('give only DecodeError on random and mutated bytes', () => {
    fc.assert(
      fc.property(mutatedBytes(packet.map((p) => boot.encode(p))), (b) => {
        expectOnlyDecodeError(() => {
          const p = boot.decode(b);
          if (p.opcode === boot.BootOpcode.BLOCK) boot.blockContent(p);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('are big-endian on the wire, data words byte-swapped', () => {
    const image = new Uint8Array(1500).map((_, i) => i & 0xff);
    const pkts = boot.imagePackets(image);
    expect(pkts.map((p) => p.opcode)).toEqual([1, 3, 3, 5]);
    const start = boot.encode(pkts[0]);
    expect(Buffer.from(start).toString('hex')).toBe('0001' + '00000001' + '00000000' + '00000000' + '00000001');
    const blk = boot.encode(pkts[2]);
    expect(Buffer.from(blk.subarray(0, 10)).toString('hex')).toBe('0001' + '00000003' + '0000ff01');
    // image bytes 1024..1027 = 00 01 02 03 (LE word 0x03020100) go out as 03 02 01 00
    expect(Array.from(blk.subarray(18, 22))).toEqual([3, 2, 1, 0]);
    expect(blk.length).toBe(18 + 476);
    expect(Buffer.from(boot.encode(pkts[3])).toString('hex')).toBe('0001' + '00000005' + '00000001' + '00'.repeat(8));
    // reassembling blocks gives the image back
    const back = new Uint8Array(2048);
    for (const p of pkts.filter((q) => q.opcode === 3)) {
      const c = boot.blockContent(p);
      back.set(c.bytes, c.block * c.wordsPerBlock * 4);
    }
    expect(Array.from(back.subarray(0, 1500))).toEqual(Array.from(image));
    expect(boot.startBlockCount(pkts[0])).toBe(2);
  });

  it('HELLO carries 0x43505453 and an 18-byte payload', () => {
    const b = boot.encode(boot.helloPacket());
    expect(b.length).toBe(18);
    expect(Buffer.from(b).toString('hex')).toBe('0001' + '00000041' + '02010000' + '00000000' + '43505453');
  });
});

describe('boot image sv block', () => {
  it('puts sark.struct defaults and the host overrides at bytes 384..511', () => {
    const image = new Uint8Array(4096);
    const block = boot.bootSvBlock({ hwVer: 5, unixTime: 0x65000000 });
    const img = boot.withSvBlock(image, block);
    const dv = new DataView(img.buffer, 384);
    expect(img[384 + 0x0a]).toBe(5); // hw_ver
    expect(dv.getUint32(0x1c, true)).toBe(0x65000000); // unix_time
    expect(dv.getUint32(0x5c, true)).toBe(0x65000000); // boot_sig
    expect(img[384 + 0x40]).toBe(1); // root_chip
    expect(dv.getUint32(0x30, true)).toBe(1); // led0 on SpiNN-5
    expect(dv.getUint32(0x4c, true)).toBe(1048576); // sdram_heap words
    const sv = boot.readSvBlock(img);
    expect(sv.peek_time).toBe(200);
    expect(boot.readSvBlock(boot.withSvBlock(image, boot.bootSvBlock({ hwVer: 3, unixTime: 1 }))).led0).toBe(0x502);
  });

  it('finds the SC&MP version string in an image', () => {
    const img = new Uint8Array(600);
    img.set(new TextEncoder().encode('SC&MP/SpiNNaker\u00004.0.0\u0000'), 500);
    expect(boot.imageScampVersion(img)).toBe('4.0.0');
    expect(boot.imageScampVersion(new Uint8Array(600))).toBeNull();
  });
});
