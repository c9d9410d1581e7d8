import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ver from '../../src/protocol/ver.js';
import * as info from '../../src/protocol/info.js';
import * as scp from '../../src/protocol/scp.js';
import { expectOnlyDecodeError, mutatedBody, u32 } from './fuzz.js';

const latin1NoNul = fc.string({ unit: fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const u8 = fc.integer({ min: 0, max: 255 });

const versionInfo: fc.Arbitrary<ver.VersionInfo> = fc.record({
  x: u8,
  y: u8,
  physCpu: u8,
  virtCpu: u8,
  versionHigh: fc.integer({ min: 0, max: 0xffff }),
  bufferSize: fc.integer({ min: 0, max: 0xffff }),
  buildDate: u32,
  idString: latin1NoNul,
  versionString: fc.option(latin1NoNul, { nil: null }),
});

const chipInfo: fc.Arbitrary<info.ChipInfo> = fc.record({
  numCpus: fc.integer({ min: 0, max: 31 }),
  linkMask: fc.integer({ min: 0, max: 63 }),
  largestFreeRouterBlock: fc.integer({ min: 0, max: 2047 }),
  ethernetUp: fc.boolean(),
  largestFreeSdram: u32,
  largestFreeSysram: u32,
  cpuStates: fc.array(u8, { minLength: 18, maxLength: 18 }),
  ethX: u8,
  ethY: u8,
  ipAddress: fc.tuple(u8, u8, u8, u8).map((b) => b.join('.')),
  parentLink: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: null }),
});

describe('CMD_VER reply', () => {
  it('round-trips random values', () => {
    fc.assert(
      fc.property(versionInfo, (v) => {
        const body = ver.encode(v);
        expect(12 + body.data.length).toBe(ver.encodingLength(v));
        const back = ver.decode(body);
        // An empty id string with no version string cannot be told apart from one ending the data.
        expect(back).toEqual(v);
      }),
    );
  });

  it('produces the SC&MP 4.0.0 wire layout: 48-byte UDP payload, arg bytes virt, phys, y, x', () => {
    const body = ver.encode(ver.scampReply({ x: 1, y: 2, physCpu: 5, buildDate: 0x5f000000 }));
    const wire = scp.encode({ cmdRc: 0x80, seq: 7, ...body });
    expect(2 + 8 + wire.length).toBe(48);
    expect(Array.from(wire.subarray(4, 8))).toEqual([0, 5, 2, 1]);
    expect(Buffer.from(wire.subarray(8, 12)).toString('hex')).toBe('0001ffff');
    expect(Buffer.from(wire.subarray(16)).toString('latin1')).toBe('SC&MP/SpiNNaker\u00004.0.0\u0000');
    const back = ver.decode(scp.decode(wire, 3));
    expect(ver.kernelName(back)).toBe('SC&MP');
    expect(ver.softwareVersion(back)).toEqual({ major: 4, minor: 0, patch: 0, label: '' });
  });

  it('reads a pre-2.0.0 reply (one string, version in arg2)', () => {
    const v = ver.decode({ args: [0, (134 << 16) | 256, 0], data: new TextEncoder().encode('SC&MP/SpiNNaker\0') });
    expect(v.versionString).toBeNull();
    expect(ver.softwareVersion(v)).toMatchObject({ major: 1, minor: 34 });
  });

  it('gives only DecodeError on random and mutated bodies', () => {
    fc.assert(fc.property(mutatedBody(versionInfo.map(ver.encode)), (b) => expectOnlyDecodeError(() => ver.decode(b))), { numRuns: 500 });
  });
});

describe('CMD_INFO reply', () => {
  it('round-trips random values in both lengths (36 and 38 bytes)', () => {
    fc.assert(
      fc.property(chipInfo, (v) => {
        const body = info.encode(v);
        expect(12 + body.data.length).toBe(info.encodingLength(v));
        expect(12 + body.data.length).toBe(v.parentLink === null ? 36 : 38);
        expect(info.decode(body)).toEqual(v);
      }),
    );
  });

  it('packs arg1 and the data bytes where rig and SpiNNMan read them', () => {
    const body = info.encode({
      numCpus: 18,
      linkMask: 0x3f,
      largestFreeRouterBlock: 1023,
      ethernetUp: true,
      largestFreeSdram: 0x07000000,
      largestFreeSysram: 0x5f00,
      cpuStates: [7, ...new Array(17).fill(15)],
      ethX: 4,
      ethY: 8,
      ipAddress: '192.168.240.1',
      parentLink: 7,
    });
    expect(body.args[0]).toBe(18 | (0x3f << 8) | (1023 << 14) | (1 << 25));
    expect(Array.from(body.data.subarray(17, 26))).toEqual([15, 8, 4, 192, 168, 240, 1, 7, 0]);
  });

  it('gives only DecodeError on random and mutated bodies', () => {
    fc.assert(fc.property(mutatedBody(chipInfo.map(info.encode)), (b) => expectOnlyDecodeError(() => info.decode(b))), { numRuns: 500 });
  });
});
