import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as router from '../../src/protocol/router.js';
import * as iptag from '../../src/protocol/iptag.js';
import * as alloc from '../../src/protocol/alloc.js';
import type { StructLayout } from '../../src/protocol/struct.js';
import { bodyLaws, structLaws } from './laws.js';
import { expectOnlyDecodeError, u32 } from './fuzz.js';

const u8 = fc.integer({ min: 0, max: 255 });
const u16 = fc.integer({ min: 0, max: 0xffff });
const ip = fc.tuple(u8, u8, u8, u8).map((b) => b.join('.'));

structLaws(router.rtrEntry as StructLayout<unknown>);
structLaws(iptag.iptagRecord as StructLayout<unknown>);

bodyLaws<router.RtrRequest>(
  'CMD_RTR request',
  router.rtrRequest,
  fc.oneof(
    fc.record({ op: fc.constant('init' as const), appId: u8 }),
    fc.record({ op: fc.constant('clear' as const), appId: u8, first: u32, count: u16 }),
    fc.record({ op: fc.constant('load' as const), appId: u8, address: u32, base: u32, count: u16 }),
    fc.record({ op: fc.constant('readFixedRoute' as const), appId: u8 }),
    fc.record({ op: fc.constant('setFixedRoute' as const), appId: u8, route: fc.integer({ min: 0, max: 0xffffff }) }),
    fc.record({ op: fc.constant('unknown' as const), code: fc.integer({ min: 4, max: 255 }), appId: u8, count: u16, arg2: u32, arg3: u32 }),
  ),
);

bodyLaws<iptag.IptagRequest>(
  'CMD_IPTAG request',
  iptag.iptagRequest,
  fc.oneof(
    fc.record({
      op: fc.constantFrom('set' as const, 'new' as const),
      tag: u8,
      flags: fc.integer({ min: 0, max: 15 }).map((n) => n << 8),
      timeout: fc.integer({ min: 0, max: 15 }),
      sdpPortCpu: u8,
      destAddr: u16,
      port: u16,
      ip,
    }),
    fc.record({ op: fc.constant('get' as const), tag: u8, count: u32 }),
    fc.record({ op: fc.constant('clear' as const), tag: u8 }),
    fc.record({ op: fc.constant('tto' as const), tag: u8, timeout: u32 }),
    fc.record({ op: fc.constant('unknown' as const), code: fc.integer({ min: 5, max: 255 }), tag: u8, arg2: u32, arg3: u32 }),
  ),
);

bodyLaws('CMD_IPTAG TTO reply', iptag.ttoReply, fc.record({ fixed: u8, pool: u8, recordSize: u8, tto: u8 }));

bodyLaws<alloc.AllocRequest>(
  'CMD_ALLOC request',
  alloc.allocRequest,
  fc.oneof(
    fc.record({ op: fc.constant('allocSdram' as const), appId: u8, size: u32, tag: u32, flags: u8 }),
    fc.record({ op: fc.constant('freeSdram' as const), appId: u8, pointer: u32 }),
    fc.record({ op: fc.constant('freeSdramByApp' as const), appId: u8 }),
    fc.record({ op: fc.constant('allocRouter' as const), appId: u8, count: u32 }),
    fc.record({ op: fc.constant('freeRouter' as const), appId: u8, entry: u32, clear: u32 }),
    fc.record({ op: fc.constant('freeRouterByApp' as const), appId: u8, clear: u32 }),
    fc.record({ op: fc.constant('sdramSpace' as const), appId: u8 }),
    fc.record({ op: fc.constant('tagPointer' as const), appId: u8, tag: u32 }),
    fc.record({ op: fc.constant('unknown' as const), code: fc.integer({ min: 8, max: 255 }), appId: u8, flags: u8, arg2: u32, arg3: u32 }),
  ),
);

describe('known argument words', () => {
  it('ybug iptag: TTO read a1 = 0x00040000 a2 = 255; GET a1 = 0x00020000|t a2 = 1', () => {
    expect(iptag.iptagRequest.encode({ op: 'tto', tag: 0, timeout: 255 }).args).toEqual([0x00040000, 255, 0]);
    expect(iptag.iptagRequest.encode({ op: 'get', tag: 5, count: 1 }).args).toEqual([0x00020005, 1, 0]);
  });

  it('ybug reverse tag: a1 = 3<<28 | 1<<16 | dport<<8 | t, a2 = addr<<16 | port', () => {
    const body = iptag.iptagRequest.encode({
      op: 'set', tag: 2, flags: iptag.IpTagFlag.STRIP | iptag.IpTagFlag.REVERSE, timeout: 0, sdpPortCpu: 0x21, destAddr: 0x0102, port: 12345, ip: '0.0.0.0',
    });
    expect(body.args).toEqual([((3 << 28) | (1 << 16) | (0x21 << 8) | 2) >>> 0, (0x0102 << 16) | 12345, 0]);
  });

  it('IP in arg3 is LE: first octet in the low byte', () => {
    const body = iptag.iptagRequest.encode({ op: 'set', tag: 0, flags: 0, timeout: 0, sdpPortCpu: 0, destAddr: 0, port: 17892, ip: '127.0.0.1' });
    expect(body.args[2]).toBe(0x0100007f);
  });

  it('TTO reply from SC&MP: 8 fixed, 8 pool, 32-byte records', () => {
    expect(iptag.ttoReply.decode({ args: [0x08082009], data: new Uint8Array() })).toEqual({ fixed: 8, pool: 8, recordSize: 32, tto: 9 });
  });

  it('GET reply splits into 32-byte records', () => {
    const rec = { ...iptag.iptagRecord.zero(), ip: [10, 0, 0, 1], tx_port: 17892, flags: 0x8000, dest_port: 0xff };
    const bytes = iptag.encodeGetReply([rec, rec]);
    expect(bytes.length).toBe(64);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([10, 0, 0, 1]);
    expect(bytes[10] | (bytes[11] << 8)).toBe(17892);
    expect(iptag.decodeGetReply(bytes)).toEqual([rec, rec]);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => expectOnlyDecodeError(() => iptag.decodeGetReply(b))));
  });

  it('rig alloc: a1 = flags<<16 | app_id<<8 | op', () => {
    expect(alloc.allocRequest.encode({ op: 'allocSdram', appId: 66, size: 1024, tag: 3, flags: alloc.ALLOC_TAG_RETRY }).args).toEqual([0x00044200, 1024, 3]);
    expect(alloc.allocReplyArgs('sdramSpace')).toBe(2);
  });

  it('rtr_entry_t packs like rig <2H 3I and route bits are links then virtual cores', () => {
    const route = router.encodeRoute({ links: [0, 5], cores: [1, 17] });
    expect(route).toBe(0b100001 | (1 << 7) | (1 << 23));
    expect(router.decodeRoute(route)).toEqual({ links: [0, 5], cores: [1, 17] });
    const bytes = router.encodeTable([{ next: 1, free: 0x8010, route, key: 0x12345678, mask: 0xffff0000 }]);
    expect(Buffer.from(bytes).toString('hex')).toBe('0100' + '1080' + Buffer.from(new Uint32Array([route]).buffer).toString('hex') + '78563412' + '0000ffff');
    expect(router.copyEntryState({ next: 0, free: 0x8310, route: 1, key: 2, mask: 3 })).toEqual({ used: true, appId: 0x10, core: 3, route: 1, key: 2, mask: 3 });
    expect(router.copyEntryState({ next: 0, free: router.usedEntryFree(7, 17), route: 1, key: 2, mask: 3 })).toMatchObject({ appId: 7, core: 17 });
    expect(router.copyEntryState({ next: 0, free: 0, route: router.RTR_UNUSED_ROUTE, key: 0xffffffff, mask: 0 })).toEqual({ used: false });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (b) => expectOnlyDecodeError(() => router.decodeTable(b))));
  });

  it('P2P columns: 3 bits per chip, reset word 0x00DB6DB6', () => {
    expect(Buffer.from(router.encodeP2pColumn([6, 6, 6, 6, 6, 6, 6, 6])).readUInt32LE(0)).toBe(router.P2P_WORD_RESET);
    expect(router.p2pEntryPosition(1, 9)).toEqual({ word: (256 + 9) >> 3, shift: 3 * ((256 + 9) & 7) });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 256 }), (col) => {
        expect(router.decodeP2pColumn(router.encodeP2pColumn(col), col.length)).toEqual(col);
      }),
    );
    expectOnlyDecodeError(() => router.decodeP2pColumn(new Uint8Array(3), 8));
  });
});
