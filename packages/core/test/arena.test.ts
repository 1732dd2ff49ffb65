import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Arena } from '../src/matrix/simd/arena.js';

describe('Arena (where resident engine buffers go in the kernel memory)', () => {
  it('hands out whole cache lines, reuses freed blocks first-fit and pulls the end back', () => {
    const a = new Arena(1 << 20);
    expect(a.alloc(1)).toBe(0);
    expect(a.alloc(100)).toBe(64);
    expect(a.alloc(64)).toBe(192);
    expect(a.end).toBe(256);
    a.free(64, 100);
    expect(a.alloc(64)).toBe(64); // first fit, splitting the 128-byte hole
    expect(a.alloc(65)).toBe(256); // 128 bytes do not fit in the 64 left
    a.free(256, 65);
    expect(a.end).toBe(256);
    a.free(192, 64);
    a.free(64, 64);
    a.free(0, 1);
    expect(a.end).toBe(0);
    expect(a.used).toBe(0);
  });

  it('refuses past its limit and stays usable', () => {
    const a = new Arena(256);
    expect(a.alloc(200)).toBe(0);
    expect(a.alloc(64)).toBeNull();
    expect(a.used).toBe(256);
    a.free(0, 200);
    expect(a.alloc(256)).toBe(0);
  });

  it('never hands out overlapping blocks, whatever the order of allocations and frees', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 700 }), fc.nat()), { maxLength: 80 }), (ops) => {
        const a = new Arena(1 << 14);
        const live: { at: number; bytes: number }[] = [];
        for (const [alloc, bytes, pick] of ops) {
          if (alloc || live.length === 0) {
            const at = a.alloc(bytes);
            if (at === null) continue;
            expect(at % 64).toBe(0);
            for (const b of live) expect(at + Arena.round(bytes) <= b.at || b.at + Arena.round(b.bytes) <= at).toBe(true);
            live.push({ at, bytes });
          } else {
            const [b] = live.splice(pick % live.length, 1);
            a.free(b!.at, b!.bytes);
          }
          const top = Math.max(0, ...live.map((b) => b.at + Arena.round(b.bytes)));
          expect(a.end).toBe(top);
          expect(a.used).toBe(live.reduce((s, b) => s + Arena.round(b.bytes), 0));
        }
      }),
    );
  });
});
