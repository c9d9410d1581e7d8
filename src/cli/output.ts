/** Prints JSON (for --json) or text lines. */
export function emit(json: boolean | undefined, value: unknown, text: () => string): void {
  if (json) process.stdout.write(`${JSON.stringify(value, (_k, v) => (v instanceof Set ? [...v] : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v), 2)}\n`);
  else process.stdout.write(`${text()}\n`);
}

/** A simple left-aligned table. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** Canonical hex dump: address, 16 bytes in hex, printable ASCII. */
export function hexDump(address: number, data: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < data.length; off += 16) {
    const row = data.subarray(off, off + 16);
    const hexPart = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${((address + off) >>> 0).toString(16).padStart(8, '0')}  ${hexPart.padEnd(47)}  |${ascii}|`);
  }
  return lines.join('\n');
}
