/**
 * A synthetic SC&MP boot image for tests (not runnable code): the bytes the
 * boot side looks at, and filler elsewhere. Five and a bit 1 KB blocks, a
 * length that is not whole words, the id and version string in the last
 * block ("SC&MP/SpiNNaker\0<version>\0", as in scamp.boot), and optionally
 * mkbuild's build_date word just before the word-aligned build_name.
 * `version` null leaves the id string out.
 */
export function syntheticScampImage(version: string | null, opts: { buildDate?: number } = {}): Uint8Array {
  const img = new Uint8Array(5 * 1024 + 2);
  for (let i = 0; i < img.length; i++) img[i] = (i * 7 + 3) & 0x7f; // recognisable, never "SC&MP/..." by accident
  img.fill(0, 384, 512); // the sv block the host fills in
  if (version !== null) img.set(new TextEncoder().encode(`SC&MP/SpiNNaker\0${version}\0`), 5 * 1024 - 40);
  if (opts.buildDate !== undefined) {
    new DataView(img.buffer).setUint32(0x1004, opts.buildDate, true);
    img.set(new TextEncoder().encode('scamp-3\0'), 0x1008);
  }
  return img;
}
