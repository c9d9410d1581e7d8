import { type Link, type Machine, LINKS, chipKey, shortestVector } from '../machine/index.js';
import { MappingError, type Net, type Placement, type Router, type RoutingTree } from './types.js';

const DIM_DIRS: readonly (readonly [Link, Link])[] = [
  [0, 3], // x: +E, -W
  [2, 5], // y: +N, -S
  [4, 1], // z: +SW, -NE
];

/** Longest-dimension-first path from a to b: the directions of each hop. */
export function ldfPath(machine: Machine, ax: number, ay: number, bx: number, by: number): Link[] {
  const v = shortestVector(machine, { x: ax, y: ay }, { x: bx, y: by });
  const dims = [0, 1, 2].sort((i, j) => Math.abs(v[j]!) - Math.abs(v[i]!) || i - j);
  const out: Link[] = [];
  for (const d of dims) {
    const n = v[d]!;
    const dir = DIM_DIRS[d]![n > 0 ? 0 : 1]!;
    for (let k = 0; k < Math.abs(n); k++) out.push(dir);
  }
  return out;
}

/**
 * Router: each sink chip is reached by a longest-dimension-first path from the
 * source, joined to the tree at the last tree chip on that path (so every chip
 * has exactly one parent and packets are never duplicated). Where the path
 * crosses a dead link or chip, a breadth-first search over working links from
 * the whole tree finds the shortest detour.
 */
export const ldfRouter: Router = (nets, placements, machine) => {
  // Precomputed per (chip key, link): neighbour key (-1 off a non-wrapping edge) and whether the link works.
  const nbr = new Int32Array(65536 * 6).fill(-1);
  const up = new Uint8Array(65536 * 6);
  for (const c of machine.chips()) {
    const k = chipKey(c.x, c.y);
    for (const l of LINKS) {
      const n = machine.neighbour(c.x, c.y, l);
      if (n) nbr[k * 6 + l] = chipKey(n.x, n.y);
      if (c.linkMask & (1 << l)) up[k * 6 + l] = 1;
    }
  }
  const W = machine.width;
  const H = machine.height;
  const dirs: Link[] = [];
  /** Fills `dirs` with a longest-dimension-first path (same as ldfPath, without allocation). */
  const ldfInto = (ax: number, ay: number, bx: number, by: number): void => {
    dirs.length = 0;
    const dx = bx - ax;
    const dy = by - ay;
    let best = Infinity;
    let vx = 0;
    let vy = 0;
    let vz = 0;
    const xs0 = machine.wrapX ? (((dx % W) + W) % W) : dx;
    const ys0 = machine.wrapY ? (((dy % H) + H) % H) : dy;
    for (let i = 0; i < (machine.wrapX ? 2 : 1); i++) {
      const x = i === 0 ? xs0 : xs0 - W;
      for (let j = 0; j < (machine.wrapY ? 2 : 1); j++) {
        const y = j === 0 ? ys0 : ys0 - H;
        // minimise (x, y, 0): subtract the median.
        const med = x >= 0 === y >= 0 ? (Math.abs(x) < Math.abs(y) ? x : y) : 0;
        const mx = x - med;
        const my = y - med;
        const mz = -med;
        const len = Math.max(mx, my, mz) - Math.min(mx, my, mz);
        if (len < best) {
          best = len;
          vx = mx;
          vy = my;
          vz = mz;
        }
      }
    }
    const v = [vx, vy, vz];
    const order = [0, 1, 2].sort((i, j) => Math.abs(v[j]!) - Math.abs(v[i]!) || i - j);
    for (const d of order) {
      const n = v[d]!;
      const dir = DIM_DIRS[d]![n > 0 ? 0 : 1]!;
      for (let k = 0; k < Math.abs(n); k++) dirs.push(dir);
    }
  };
  const stamp = new Int32Array(65536);
  const route = new Uint32Array(65536);
  const inDir = new Int8Array(65536);
  const bfsStamp = new Int32Array(65536);
  const bfsPrev = new Int32Array(65536);
  const bfsDir = new Int8Array(65536);
  let bfsRun = 0;
  const trees: RoutingTree[] = [];
  const pathKeys: number[] = [];
  const pathDirs: Link[] = [];

  nets.forEach((net, ni) => {
    const mark = ni + 1;
    const src = placements[net.source];
    if (!src) throw new MappingError(`net ${ni}: source vertex ${net.source} is not placed`);
    const srcKey = chipKey(src.x, src.y);
    const nodes: number[] = [srcKey];
    stamp[srcKey] = mark;
    route[srcKey] = 0;
    inDir[srcKey] = -1;

    const coreBits = new Map<number, number>();
    for (const s of net.sinks) {
      const p = placements[s];
      if (!p) throw new MappingError(`net ${ni}: sink vertex ${s} is not placed`);
      const k = chipKey(p.x, p.y);
      coreBits.set(k, (coreBits.get(k) ?? 0) | (1 << (6 + p.p)));
    }

    const attach = (fromKey: number, dirs: readonly Link[], keys: readonly number[]): void => {
      let c = fromKey;
      for (let i = 0; i < dirs.length; i++) {
        const d = dirs[i]!;
        const n = keys[i]!;
        route[c] = route[c]! | (1 << d);
        stamp[n] = mark;
        route[n] = 0;
        inDir[n] = d;
        nodes.push(n);
        c = n;
      }
    };

    for (const [tk, bits] of coreBits) {
      if (stamp[tk] !== mark) {
        const tx = tk >> 8;
        const ty = tk & 0xff;
        ldfInto(src.x, src.y, tx, ty);
        pathKeys.length = 0;
        pathDirs.length = 0;
        let cur = srcKey;
        let lastInTree = -1; // index into dirs after which we attach; -1 = the source
        let lastKey = srcKey;
        let broken = false;
        for (let i = 0; i < dirs.length; i++) {
          const d = dirs[i]!;
          const nk = nbr[cur * 6 + d]!;
          if (nk < 0) {
            broken = true;
            break;
          }
          pathKeys.push(nk);
          pathDirs.push(d);
          cur = nk;
          if (stamp[nk] === mark) {
            lastInTree = i;
            lastKey = nk;
          }
        }
        if (!broken) {
          // Links from the attach point onwards must all work.
          let c = lastKey;
          for (let i = lastInTree + 1; i < pathDirs.length; i++) {
            if (!up[c * 6 + pathDirs[i]!]) {
              broken = true;
              break;
            }
            c = pathKeys[i]!;
          }
        }
        if (!broken) {
          attach(lastKey, pathDirs.slice(lastInTree + 1), pathKeys.slice(lastInTree + 1));
        } else {
          // Multi-source BFS from the whole tree to the target over working links.
          bfsRun++;
          const queue: number[] = [];
          for (const k of nodes) {
            bfsStamp[k] = bfsRun;
            bfsPrev[k] = -1;
            queue.push(k);
          }
          let found = false;
          for (let qi = 0; qi < queue.length && !found; qi++) {
            const c = queue[qi]!;
            for (const l of LINKS) {
              if (!up[c * 6 + l]) continue;
              const nk = nbr[c * 6 + l]!;
              if (bfsStamp[nk] === bfsRun) continue;
              bfsStamp[nk] = bfsRun;
              bfsPrev[nk] = c;
              bfsDir[nk] = l;
              if (nk === tk) {
                found = true;
                break;
              }
              queue.push(nk);
            }
          }
          if (!found) throw new MappingError(`net ${ni}: chip (${tx}, ${ty}) cannot be reached from chip (${src.x}, ${src.y}) over working links`);
          const keys: number[] = [];
          const ds: Link[] = [];
          let c = tk;
          while (bfsPrev[c] !== -1) {
            keys.push(c);
            ds.push(bfsDir[c] as Link);
            c = bfsPrev[c]!;
          }
          attach(c, ds.reverse(), keys.reverse());
        }
      }
      route[tk] = route[tk]! | bits;
    }

    const chips = Uint16Array.from(nodes);
    const routes = new Uint32Array(nodes.length);
    const inDirs = new Int8Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      routes[i] = route[nodes[i]!]!;
      inDirs[i] = inDir[nodes[i]!]!;
    }
    trees.push({ net: ni, chips, routes, inDirs });
  });
  return trees;
};
