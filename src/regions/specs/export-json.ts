/**
 * Writes firmware-specs/<app>.json from the TypeScript specs:
 *   npx tsx src/regions/specs/export-json.ts
 * test/regions/specs.test.ts fails if the committed JSON drifts from them.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BINARY_SPECS } from './binaries.js';
import { PINNED } from './common.js';

export function specJson(app: string): string {
  const spec = BINARY_SPECS.find((s) => s.app === app);
  if (!spec) throw new Error(`no firmware spec for ${app}`);
  return `${JSON.stringify({ pinned: PINNED, ...spec }, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = new URL('../../../firmware-specs/', import.meta.url);
  for (const s of BINARY_SPECS) writeFileSync(new URL(`${s.app}.json`, dir), specJson(s.app));
  console.log(`wrote ${BINARY_SPECS.length} specs to firmware-specs/`);
}
