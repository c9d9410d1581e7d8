import { describe, expect, it } from 'vitest';
import { assertImageAllowed, buildStandInImage, identifyImage, isStandIn, StandInImageError, SUPPORTED_APPS } from '../../src/regions/index.js';

describe('firmware images', () => {
  it.each([...SUPPORTED_APPS])('stand-in for %s is a valid APLX and identifies itself', (app) => {
    const img = buildStandInImage(app);
    const dv = new DataView(img.buffer);
    expect(dv.getUint32(0, true)).toBe(2); // RCOPY
    expect(dv.getUint32(8, true)).toBe(64); // source relative to the record
    expect(dv.getUint32(12, true) % 32).toBe(0);
    expect(64 + dv.getUint32(12, true)).toBe(img.length);
    expect(dv.getUint32(16, true)).toBe(4); // EXEC
    expect(dv.getUint32(32, true)).toBe(0xff); // END
    expect(isStandIn(img)).toBe(true);
    expect(identifyImage(img)).toMatchObject({ app, standIn: true, by: 'stand-in-magic' });
    expect(() => assertImageAllowed(img, 'emulator')).not.toThrow();
    expect(() => assertImageAllowed(img, 'board')).toThrow(StandInImageError);
  });

  it('real images: by file name, else by an embedded NUL-terminated app name', () => {
    const fake = new Uint8Array(256).fill(0x55);
    expect(identifyImage(fake, '/opt/bin/IF_curr_exp_stdp_mad_pair_additive.aplx')).toMatchObject({ app: 'IF_curr_exp_stdp_mad_pair_additive', standIn: false, by: 'file-name' });
    const withName = new Uint8Array(256);
    withName.set(new TextEncoder().encode('IF_curr_exp_stdp_mad_pair_multiplicative\0'), 100);
    expect(identifyImage(withName)).toMatchObject({ app: 'IF_curr_exp_stdp_mad_pair_multiplicative', by: 'embedded-name' });
    const plain = new Uint8Array(64);
    plain.set(new TextEncoder().encode('IF_curr_exp\0'), 8);
    expect(identifyImage(plain).app).toBe('IF_curr_exp');
    expect(identifyImage(fake)).toMatchObject({ app: 'unknown', by: 'none' });
    expect(isStandIn(fake)).toBe(false);
    expect(() => assertImageAllowed(fake, 'board')).not.toThrow();
    expect(() => buildStandInImage('bad name')).toThrow(/letters/);
  });
});
