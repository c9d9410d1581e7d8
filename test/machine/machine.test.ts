import { describe, expect, it } from 'vitest';
import {
  Link,
  LINKS,
  Machine,
  MachineError,
  MONITOR_CORE,
  SPINN5_CHIPS,
  boards,
  hexDistance,
  multiBoard,
  oppositeLink,
  parseShape,
  spinn3,
  spinn5,
  torus,
} from '../../src/machine/index.js';

describe('links', () => {
  it('opposite links are (l+3) mod 6 and step back', () => {
    const m = torus(5, 5);
    for (const l of LINKS) {
      const n = m.neighbour(2, 2, l)!;
      expect(m.neighbour(n.x, n.y, oppositeLink(l))).toEqual({ x: 2, y: 2 });
    }
    expect(m.neighbour(2, 2, Link.NE)).toEqual({ x: 3, y: 3 });
    expect(m.neighbour(2, 2, Link.SW)).toEqual({ x: 1, y: 1 });
  });
  it('wraps on a torus and not on a board', () => {
    expect(torus(4, 3).neighbour(0, 0, Link.SW)).toEqual({ x: 3, y: 2 });
    expect(spinn5().neighbour(0, 0, Link.W)).toBeUndefined();
    expect(spinn5().linkTarget(0, 0, Link.W)).toBeUndefined();
  });
});

describe('board geometries', () => {
  it('SpiNN-3 has 4 chips, 18 cores each, Ethernet at (0,0), no wrap', () => {
    const m = spinn3();
    expect(m.nChips).toBe(4);
    expect(m.chips().every((c) => c.nCores === 18)).toBe(true);
    expect(m.ethernetChips().map((c) => [c.x, c.y])).toEqual([[0, 0]]);
    expect(m.chip(0, 0).ipAddress).toBe('127.0.0.1');
    // (0,0) connects E, NE, N only.
    expect(m.chip(0, 0).linkMask).toBe(0b000111);
    expect(m.chip(1, 1).linkMask).toBe(0b111000);
  });
  it('SpiNN-5 has the 48-chip hexagonal shape', () => {
    const m = spinn5();
    expect(m.nChips).toBe(48);
    expect(SPINN5_CHIPS).toHaveLength(48);
    expect(m.hasChip(0, 3)).toBe(true);
    expect(m.hasChip(0, 4)).toBe(false);
    expect(m.hasChip(7, 2)).toBe(false);
    expect(m.hasChip(7, 7)).toBe(true);
    // (0,3) has no N neighbour, (4,7) no N, (7,3) no E.
    expect(m.isLinkUp(0, 3, Link.N)).toBe(false);
    expect(m.isLinkUp(0, 3, Link.NE)).toBe(true);
    expect(m.isLinkUp(7, 3, Link.E)).toBe(false);
    expect(m.nApplicationCores).toBe(48 * 17);
  });
  it('12x12 is a torus of three boards with Ethernet at (0,0), (4,8), (8,4)', () => {
    const m = multiBoard(12, 12);
    expect(m.nChips).toBe(144);
    expect(m.ethernetChips().map((c) => [c.x, c.y])).toEqual([
      [0, 0],
      [4, 8],
      [8, 4],
    ]);
    // Every chip on a full torus has 6 working links.
    expect(m.chips().every((c) => c.linkMask === 0x3f)).toBe(true);
    // Each board has 48 chips.
    const perBoard = new Map<string, number>();
    for (const c of m.chips()) perBoard.set(`${c.ethernet.x},${c.ethernet.y}`, (perBoard.get(`${c.ethernet.x},${c.ethernet.y}`) ?? 0) + 1);
    expect([...perBoard.values()]).toEqual([48, 48, 48]);
    expect(m.chip(11, 11).ethernet).toEqual({ x: 4, y: 8 }); // board-local (7, 3)
    expect(m.chip(11, 4).ethernet).toEqual({ x: 8, y: 4 }); // board-local (3, 0)
    expect(new Set(m.ethernetChips().map((c) => c.ipAddress)).size).toBe(3);
  });
  it('24x24 holds 12 boards; N-boards uses spalloc sizing', () => {
    expect(parseShape('24x24').ethernetChips()).toHaveLength(12);
    const m = boards(3);
    expect([m.width, m.height, m.wrapX]).toEqual([16, 16, false]);
    expect(m.nChips).toBe(144);
    expect(boards(1).nChips).toBe(48);
  });
  it('parses shapes and rejects unknown ones with the accepted forms', () => {
    expect(parseShape('spinn-3').nChips).toBe(4);
    expect(parseShape('SpiNN-5').nChips).toBe(48);
    expect(parseShape('5x3').nChips).toBe(15);
    const t = parseShape('24x24-torus');
    expect(t.ethernetChips()).toHaveLength(1);
    expect(t.nChips).toBe(576);
    expect(parseShape('4x4-nowrap').wrapX).toBe(false);
    expect(() => parseShape('hex')).toThrow(/unknown machine shape 'hex'.*spinn-3/);
    expect(() => multiBoard(10, 12)).toThrow(MachineError);
  });
});

describe('dead hardware', () => {
  it('removes chips, cores and links, both directions of a link', () => {
    const m = spinn5().withDead({ chips: [{ x: 1, y: 1 }], cores: [{ x: 0, y: 0, p: 5 }], links: [{ x: 2, y: 2, link: Link.E }] });
    expect(m.nChips).toBe(47);
    expect(m.isLinkUp(0, 0, Link.NE)).toBe(false);
    expect(m.applicationCores(0, 0)).not.toContain(5);
    expect(m.applicationCores(0, 0)).not.toContain(MONITOR_CORE);
    expect(m.applicationCores(0, 0)).toHaveLength(16);
    expect(m.isLinkUp(2, 2, Link.E)).toBe(false);
    expect(m.isLinkUp(3, 2, Link.W)).toBe(false);
    // Dead links survive a second withDead.
    expect(m.withDead({}).isLinkUp(3, 2, Link.W)).toBe(false);
    expect(() => m.chip(1, 1)).toThrow(/no chip \(1, 1\)/);
  });
  it('rejects invalid specs with a reason', () => {
    expect(() => new Machine({ width: 2, height: 2, chips: [{ x: 2, y: 0 }] })).toThrow(/outside/);
    expect(() => new Machine({ width: 2, height: 2, chips: [{ x: 0, y: 0, deadCores: [18] }] })).toThrow(/dead core 18/);
  });
  it('iterates cores', () => {
    expect([...spinn3().cores()]).toHaveLength(72);
  });
});

describe('hex distance', () => {
  it('counts hops on diagonals and wraps', () => {
    const m = torus(8, 8);
    expect(hexDistance(m, { x: 0, y: 0 }, { x: 3, y: 3 })).toBe(3);
    expect(hexDistance(m, { x: 0, y: 0 }, { x: 3, y: 5 })).toBe(5); // (3,5): 5 hops; (-5,-3): 5
    expect(hexDistance(m, { x: 0, y: 0 }, { x: 6, y: 1 })).toBe(3); // (-2,1) via wrap
    expect(hexDistance(m, { x: 0, y: 0 }, { x: 7, y: 7 })).toBe(1);
  });
});
