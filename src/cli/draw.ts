import type { Machine } from '../machine/index.js';

/**
 * A small drawing of the chips and the links between them, north up:
 * "E" an Ethernet chip, "o" a chip, "." no chip; "-" east links, "|" north
 * links, "/" north-east links. Wrap-around links are not drawn.
 */
export function drawMachine(m: Machine, maxWidth = 32): string {
  if (m.width > maxWidth || m.height > maxWidth) return `(${m.width}x${m.height} is too large to draw)`;
  const rows: string[] = [];
  for (let y = m.height - 1; y >= 0; y--) {
    if (y < m.height - 1) {
      let between = '    ';
      for (let x = 0; x < m.width; x++) {
        const c = m.getChip(x, y);
        const n = c && m.isLinkUp(x, y, 2) && y + 1 < m.height ? '|' : ' ';
        const ne = c && m.isLinkUp(x, y, 1) && y + 1 < m.height && x + 1 < m.width ? '/' : ' ';
        between += `${n} ${ne} `;
      }
      // The line between row y+1 and row y shows links going up from row y.
      rows.push(between.trimEnd());
    }
    let line = `${String(y).padStart(3)} `;
    for (let x = 0; x < m.width; x++) {
      const c = m.getChip(x, y);
      const sym = !c ? '.' : c.ipAddress !== undefined ? 'E' : 'o';
      const east = c && x + 1 < m.width && m.isLinkUp(x, y, 0) ? '---' : '   ';
      line += sym + east;
    }
    rows.push(line.trimEnd());
  }
  let axis = '    ';
  for (let x = 0; x < m.width; x++) axis += String(x).padEnd(4);
  rows.push(axis.trimEnd());
  return rows.join('\n');
}
