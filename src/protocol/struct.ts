import { Parser } from 'binary-parser';
import { DecodeError, requireLength } from './errors.js';

/**
 * Fixed-layout structs (sv, vcpu_t, heap headers, rtr_entry_t, iptag_t, ...)
 * described by one field table each. The table drives three things: a
 * compiled binary-parser decoder, a DataView encoder, and per-field offset
 * look-ups (`offsetOf`, `readField`, `writeField`) for code that touches
 * one field in target memory, as ybug and rig do through sark.struct.
 *
 * Field types: 'u8' | 'u16' | 'u32' | 'i32' (numbers), 'u8[n]' / 'u32[n]'
 * (number arrays), 'bytes[n]' (Uint8Array, copied).
 */
export type ScalarType = 'u8' | 'u16' | 'u32' | 'i32';
export type FieldType = ScalarType | `u8[${number}]` | `u32[${number}]` | `bytes[${number}]`;
export type FieldSpec = readonly [name: string, offset: number, type: FieldType];

type ValueOf<T> = T extends ScalarType
  ? number
  : T extends `bytes[${number}]`
    ? Uint8Array
    : T extends `${'u8' | 'u32'}[${number}]`
      ? number[]
      : never;

/** The object type a field table decodes to. */
export type StructOf<F extends readonly FieldSpec[]> = { [E in F[number] as E[0]]: ValueOf<E[2]> };
export type FieldValue = number | number[] | Uint8Array;

interface Resolved {
  name: string;
  offset: number;
  kind: 'u8' | 'u16' | 'u32' | 'i32' | 'u8[]' | 'u32[]' | 'bytes';
  count: number; // elements for arrays and bytes, 1 for scalars
  size: number; // bytes
}

function resolve(spec: FieldSpec): Resolved {
  const [name, offset, type] = spec;
  const m = /^(u8|u32|bytes)\[(\d+)\]$/.exec(type);
  if (m) {
    const count = Number(m[2]);
    const kind = m[1] === 'bytes' ? 'bytes' : m[1] === 'u8' ? 'u8[]' : 'u32[]';
    return { name, offset, kind, count, size: m[1] === 'u32' ? 4 * count : count };
  }
  const size = type === 'u8' ? 1 : type === 'u16' ? 2 : 4;
  return { name, offset, kind: type as Resolved['kind'], count: 1, size };
}

export interface StructLayout<T> {
  readonly name: string;
  readonly size: number;
  readonly littleEndian: boolean;
  readonly fields: readonly { name: string; offset: number; size: number; type: FieldType }[];
  encodingLength(value?: T): number;
  encode(value: T, buf?: Uint8Array, offset?: number): Uint8Array;
  decode(bytes: Uint8Array, offset?: number): T;
  /** A value with every field zero. */
  zero(): T;
  /** Byte offset of a field inside the struct; throws naming the known fields if absent. */
  offsetOf(field: string): number;
  fieldSize(field: string): number;
  readField(bytes: Uint8Array, field: string, structOffset?: number): FieldValue;
  writeField(bytes: Uint8Array, field: string, value: FieldValue, structOffset?: number): void;
}

function checkUint(codec: string, field: string, v: unknown, bits: number): number {
  const max = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new RangeError(`${codec}.${field} must be an integer 0..${max}, got ${String(v)}`);
  }
  return v;
}

function checkInt32(codec: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
    throw new RangeError(`${codec}.${field} must be a signed 32-bit integer, got ${String(v)}`);
  }
  return v;
}

/**
 * Defines a struct from its field table. Fields must not overlap and must fit
 * in `size`; gaps are allowed and are written as zero.
 * `aliases` maps alternative names (e.g. sark.struct spellings) to field names.
 */
export function defineStruct<const F extends readonly FieldSpec[]>(
  name: string,
  size: number,
  specs: F,
  opts: { littleEndian?: boolean; aliases?: Record<string, string> } = {},
): StructLayout<StructOf<F>> {
  const le = opts.littleEndian ?? true;
  const fields = specs.map(resolve).sort((a, b) => a.offset - b.offset);
  const byName = new Map(fields.map((f) => [f.name, f]));
  let end = 0;
  for (const f of fields) {
    if (f.offset < end) throw new Error(`struct ${name}: field ${f.name} at 0x${f.offset.toString(16)} overlaps the previous field`);
    end = f.offset + f.size;
  }
  if (end > size) throw new Error(`struct ${name}: fields end at ${end}, beyond size ${size}`);

  const e = le ? 'le' : 'be';
  let parser = new Parser();
  let pos = 0;
  for (const f of fields) {
    if (f.offset > pos) parser = parser.skip(f.offset - pos);
    switch (f.kind) {
      case 'u8': parser = parser.uint8(f.name); break;
      case 'u16': parser = parser[`uint16${e}`](f.name); break;
      case 'u32': parser = parser[`uint32${e}`](f.name); break;
      case 'i32': parser = parser[`int32${e}`](f.name); break;
      case 'u8[]': parser = parser.array(f.name, { type: 'uint8', length: f.count }); break;
      case 'u32[]': parser = parser.array(f.name, { type: `uint32${e}`, length: f.count }); break;
      case 'bytes': parser = parser.buffer(f.name, { length: f.count, clone: true }); break;
    }
    pos = f.offset + f.size;
  }

  const find = (field: string): Resolved => {
    const f = byName.get(opts.aliases?.[field] ?? field);
    if (!f) throw new RangeError(`struct ${name} has no field "${field}" (fields: ${fields.map((x) => x.name).join(', ')})`);
    return f;
  };

  const writeOne = (dv: DataView, f: Resolved, v: unknown): void => {
    switch (f.kind) {
      case 'u8': dv.setUint8(f.offset, checkUint(name, f.name, v, 8)); break;
      case 'u16': dv.setUint16(f.offset, checkUint(name, f.name, v, 16), le); break;
      case 'u32': dv.setUint32(f.offset, checkUint(name, f.name, v, 32), le); break;
      case 'i32': dv.setInt32(f.offset, checkInt32(name, f.name, v), le); break;
      case 'u8[]':
      case 'u32[]':
      case 'bytes': {
        const arr = v as ArrayLike<number>;
        if (!arr || typeof arr.length !== 'number' || arr.length !== f.count) {
          throw new RangeError(`${name}.${f.name} must hold exactly ${f.count} elements, got ${arr?.length}`);
        }
        for (let i = 0; i < f.count; i++) {
          if (f.kind === 'u32[]') dv.setUint32(f.offset + 4 * i, checkUint(name, `${f.name}[${i}]`, arr[i], 32), le);
          else dv.setUint8(f.offset + i, checkUint(name, `${f.name}[${i}]`, arr[i], 8));
        }
        break;
      }
    }
  };

  const readOne = (dv: DataView, f: Resolved): FieldValue => {
    switch (f.kind) {
      case 'u8': return dv.getUint8(f.offset);
      case 'u16': return dv.getUint16(f.offset, le);
      case 'u32': return dv.getUint32(f.offset, le);
      case 'i32': return dv.getInt32(f.offset, le);
      case 'u8[]': return Array.from({ length: f.count }, (_, i) => dv.getUint8(f.offset + i));
      case 'u32[]': return Array.from({ length: f.count }, (_, i) => dv.getUint32(f.offset + 4 * i, le));
      case 'bytes': return new Uint8Array(dv.buffer.slice(dv.byteOffset + f.offset, dv.byteOffset + f.offset + f.count));
    }
  };

  const view = (bytes: Uint8Array, offset: number, len: number) => new DataView(bytes.buffer, bytes.byteOffset + offset, len);

  return {
    name,
    size,
    littleEndian: le,
    fields: fields.map((f) => ({ name: f.name, offset: f.offset, size: f.size, type: specs.find((s) => s[0] === f.name)![2] })),
    encodingLength: () => size,
    encode(value, buf, offset = 0) {
      const out = buf ?? new Uint8Array(size);
      if (out.length - offset < size) throw new RangeError(`${name} encode needs ${size} bytes, buffer has ${out.length - offset}`);
      out.fill(0, offset, offset + size);
      const dv = view(out, offset, size);
      const rec = value as Record<string, unknown>;
      for (const f of fields) writeOne(dv, f, rec[f.name]);
      return out;
    },
    decode(bytes, offset = 0) {
      requireLength(name, bytes, offset, size);
      const raw = parser.parse(bytes.subarray(offset, offset + size)) as Record<string, FieldValue>;
      for (const f of fields) if (f.kind === 'bytes') raw[f.name] = new Uint8Array(raw[f.name] as Uint8Array);
      return raw as StructOf<F>;
    },
    zero() {
      const rec: Record<string, FieldValue> = {};
      for (const f of fields) {
        rec[f.name] = f.kind === 'bytes' ? new Uint8Array(f.count) : f.kind.endsWith('[]') ? new Array<number>(f.count).fill(0) : 0;
      }
      return rec as StructOf<F>;
    },
    offsetOf: (field) => find(field).offset,
    fieldSize: (field) => find(field).size,
    readField(bytes, field, structOffset = 0) {
      const f = find(field);
      if (bytes.length - structOffset - f.offset < f.size) {
        throw new DecodeError(name, `field ${f.name} needs ${f.size} bytes at offset ${structOffset + f.offset}, buffer has ${bytes.length}`);
      }
      return readOne(view(bytes, structOffset, f.offset + f.size), f);
    },
    writeField(bytes, field, value, structOffset = 0) {
      const f = find(field);
      if (bytes.length - structOffset - f.offset < f.size) {
        throw new RangeError(`${name}.${f.name} needs ${f.size} bytes at offset ${structOffset + f.offset}, buffer has ${bytes.length}`);
      }
      writeOne(view(bytes, structOffset, f.offset + f.size), f, value);
    },
  };
}
