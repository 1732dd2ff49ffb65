import { ParseError, formatList } from '../base/errors.js';

/** Element types of the IDX format, by their type byte. */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array that holds each IDX element type. */
export type IdxArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: element type, dimensions (outermost first) and the elements, row-major. */
export interface IdxData {
  readonly type: IdxType;
  readonly shape: number[];
  readonly data: IdxArray;
}

/** Options of `parseIdx`. */
export interface IdxOptions {
  /** Name of the source (a file name) used in error messages. Default 'input'. */
  readonly name?: string;
}

/** Type byte → element type and size in bytes. */
const TYPES: ReadonlyMap<number, { type: IdxType; size: number }> = new Map([
  [0x08, { type: 'uint8', size: 1 }],
  [0x09, { type: 'int8', size: 1 }],
  [0x0b, { type: 'int16', size: 2 }],
  [0x0c, { type: 'int32', size: 4 }],
  [0x0d, { type: 'float32', size: 4 }],
  [0x0e, { type: 'float64', size: 8 }],
]);

/** Largest element count a header may claim (2^31), beyond what any typed array here can hold. */
const MAX_ELEMENTS = 2 ** 31;

const hex = (v: number, digits: number): string => `0x${v.toString(16).padStart(digits, '0')}`;

/**
 * Parse an IDX file (the MNIST format) from its bytes. The header is two zero bytes, a type byte
 * (0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64), a dimension count byte, then one
 * big-endian u32 size per dimension; the payload follows, big-endian, row-major. The bytes must
 * be decompressed already (the published files are gzipped). Throws a ParseError naming the
 * source, the byte offset and the values found for a wrong magic, an unknown type, a truncated
 * file, trailing bytes, or a header claiming more than 2^31 elements.
 */
export function parseIdx(bytes: Uint8Array, options: IdxOptions = {}): IdxData {
  const name = options.name ?? 'input';
  const fail = (offset: number, what: string): never => {
    throw new ParseError(`parseIdx(${name}): ${what} (at byte offset ${offset})`);
  };
  if (!(bytes instanceof Uint8Array)) {
    throw new ParseError(`parseIdx(${name}): expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  }
  if (bytes.length < 4) fail(bytes.length, `truncated header: ${bytes.length} bytes, the magic number alone needs 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    fail(0, `wrong magic number ${hex(magic, 8)}; an IDX file starts with two zero bytes (is it still gzipped?)`);
  }
  const code = bytes[2]!;
  const kind = TYPES.get(code);
  if (kind === undefined) fail(2, `unknown type code ${hex(code, 2)}; expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e`);
  const { type, size } = kind!;
  const dims = bytes[3]!;
  const headerLength = 4 + 4 * dims;
  if (bytes.length < headerLength) {
    fail(bytes.length, `truncated header: magic ${hex(dims | (code << 8), 8)} declares ${dims} dimensions, which need ${headerLength} header bytes, the input has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < dims; i++) {
    const n = view.getUint32(4 + 4 * i, false);
    if (n > MAX_ELEMENTS) fail(4 + 4 * i, `dimension ${i} of the header is ${n}, more than the 2^31 elements this parser accepts`);
    shape.push(n);
  }
  // Multiply with a check at every step, so the product can neither overflow to Infinity nor
  // turn into NaN (Infinity * 0) and slip past the length checks below.
  if (!shape.includes(0)) {
    for (const n of shape) {
      count *= n;
      if (count > MAX_ELEMENTS) {
        const total = shape.reduce((a, b) => a * b, 1);
        fail(4, `header claims shape ${formatList(shape)} = ${total} elements, more than the 2^31 this parser accepts`);
      }
    }
  } else {
    count = 0;
  }
  const expected = headerLength + count * size;
  if (bytes.length < expected) {
    fail(bytes.length, `truncated payload: shape ${formatList(shape)} of ${type} needs ${expected} bytes in all, the input has ${bytes.length}`);
  }
  if (bytes.length > expected) {
    fail(expected, `size fields do not match the byte length: shape ${formatList(shape)} of ${type} needs ${expected} bytes in all, the input has ${bytes.length} (${bytes.length - expected} extra)`);
  }
  return { type, shape, data: decode(view, headerLength, count, type) };
}

/** Read `count` big-endian elements of `type` starting at `offset`. */
function decode(view: DataView, offset: number, count: number, type: IdxType): IdxArray {
  switch (type) {
    case 'uint8':
      return new Uint8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 'int8':
      return new Int8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}
