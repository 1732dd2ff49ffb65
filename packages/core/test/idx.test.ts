import { describe, expect, it } from 'vitest';
import { ParseError, parseIdx } from '../src/index.js';

/** Build an IDX file: header for `code` and `shape`, then `payload` as given. */
function idx(code: number, shape: number[], payload: number[] | Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header[2] = code;
  header[3] = shape.length;
  shape.forEach((n, i) => {
    view.setUint32(4 + 4 * i, n, false);
  });
  const body = payload instanceof Uint8Array ? payload : Uint8Array.from(payload);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

/** Big-endian bytes of values written with a DataView setter. */
function be(size: number, values: number[], set: (v: DataView, offset: number, value: number) => void): Uint8Array {
  const b = new Uint8Array(size * values.length);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => {
    set(v, i * size, x);
  });
  return b;
}

describe('parseIdx', () => {
  it('parseIdx(bytes) reads a u8 image tensor with its shape, row-major', () => {
    const r = parseIdx(idx(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]));
    expect(r.type).toBe('uint8');
    expect(r.shape).toEqual([2, 2, 3]);
    expect(r.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(r.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  });

  it('parseIdx(bytes) reads every type code big-endian', () => {
    const i8 = parseIdx(idx(0x09, [3], [0x80, 0xff, 0x7f]));
    expect(i8.type).toBe('int8');
    expect(i8.data).toBeInstanceOf(Int8Array);
    expect(Array.from(i8.data)).toEqual([-128, -1, 127]);

    const i16 = parseIdx(idx(0x0b, [3], be(2, [-32768, -2, 258], (v, o, x) => v.setInt16(o, x, false))));
    expect(i16.type).toBe('int16');
    expect(i16.data).toBeInstanceOf(Int16Array);
    expect(Array.from(i16.data)).toEqual([-32768, -2, 258]);

    const i32 = parseIdx(idx(0x0c, [1, 3], be(4, [-2147483648, 16909060, 7], (v, o, x) => v.setInt32(o, x, false))));
    expect(i32.type).toBe('int32');
    expect(i32.shape).toEqual([1, 3]);
    expect(Array.from(i32.data)).toEqual([-2147483648, 16909060, 7]);

    const f32 = parseIdx(idx(0x0d, [2], be(4, [1.5, -0.25], (v, o, x) => v.setFloat32(o, x, false))));
    expect(f32.type).toBe('float32');
    expect(f32.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f32.data)).toEqual([1.5, -0.25]);

    const f64 = parseIdx(idx(0x0e, [2], be(8, [Math.PI, -1e300], (v, o, x) => v.setFloat64(o, x, false))));
    expect(f64.type).toBe('float64');
    expect(Array.from(f64.data)).toEqual([Math.PI, -1e300]);
  });

  it('parseIdx(bytes) reads a view into a larger buffer at an odd offset', () => {
    const file = idx(0x0b, [2], be(2, [513, -3], (v, o, x) => v.setInt16(o, x, false)));
    const big = new Uint8Array(file.length + 5);
    big.set(file, 3);
    const r = parseIdx(big.subarray(3, 3 + file.length));
    expect(Array.from(r.data)).toEqual([513, -3]);
  });

  it('parseIdx(bytes) returns a copy that does not alias the input', () => {
    const file = idx(0x08, [2], [7, 9]);
    const r = parseIdx(file);
    file[8] = 0;
    expect(Array.from(r.data)).toEqual([7, 9]);
  });

  it('parseIdx(bytes) accepts a zero-size dimension', () => {
    const r = parseIdx(idx(0x08, [0, 28, 28], []));
    expect(r.shape).toEqual([0, 28, 28]);
    expect(r.data.length).toBe(0);
  });

  it('parseIdx rejects a wrong magic number and names the source and offset', () => {
    const bytes = idx(0x08, [1], [1]);
    bytes[0] = 0x1f;
    bytes[1] = 0x8b;
    expect(() => parseIdx(bytes, { name: 'train.idx' })).toThrow(ParseError);
    expect(() => parseIdx(bytes, { name: 'train.idx' })).toThrow(/parseIdx\(train\.idx\): wrong magic number 0x1f8b0801.*gzipped.*offset 0/);
  });

  it('parseIdx rejects an unknown type code', () => {
    expect(() => parseIdx(idx(0x0a, [1], [1]))).toThrow(/unknown type code 0x0a.*offset 2/);
  });

  it('parseIdx rejects a header shorter than its dimension count says', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0]))).toThrow(/truncated header: 2 bytes/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1]))).toThrow(/3 dimensions, which need 16 header bytes, the input has 8/);
  });

  it('parseIdx rejects a truncated payload', () => {
    const file = idx(0x0c, [2, 2], be(4, [1, 2, 3, 4], (v, o, x) => v.setInt32(o, x, false)));
    expect(() => parseIdx(file.subarray(0, file.length - 3), { name: 'x' })).toThrow(ParseError);
    expect(() => parseIdx(file.subarray(0, file.length - 3), { name: 'x' })).toThrow(
      /parseIdx\(x\): truncated payload: shape \[2, 2\] of int32 needs 28 bytes in all, the input has 25/,
    );
  });

  it('parseIdx rejects size fields that do not match the byte length (extra bytes)', () => {
    const file = idx(0x08, [2], [1, 2, 3, 4]);
    expect(() => parseIdx(file)).toThrow(/size fields do not match the byte length.*needs 10 bytes.*has 12 \(2 extra\).*offset 10/);
  });

  it('parseIdx rejects a header that claims more than 2^31 elements, before reading the payload', () => {
    const file = idx(0x08, [65536, 65536], []);
    expect(() => parseIdx(file)).toThrow(/header claims shape \[65536, 65536\] = 4294967296 elements, more than the 2\^31/);
    expect(() => parseIdx(idx(0x0e, [0xffffffff], []))).toThrow(ParseError);
  });

  it('parseIdx rejects input that is not bytes', () => {
    expect(() => parseIdx('abc' as unknown as Uint8Array)).toThrow(/expected a Uint8Array, got string/);
  });
});
