/**
 * Seeded fuzz and property tests of every parser and the public engine API (issue 12). Each case
 * must end in a correct result or a documented Nabla error (a NablaError subclass) with a
 * bounded message, within a time bound, leaving the network unchanged. The case count and the
 * time are printed at the end.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MLP, Matrix, NablaError, adam, csvDataset, parseCsv, parseIdx, sgd, train } from '../src/index.js';

const SEED = Number(process.env.NABLA_FUZZ_SEED ?? 20261202);
/** Multiplies every property's number of runs. */
const SCALE = 4;
/** Longest message a documented error may carry. */
const MAX_MESSAGE = 600;
/**
 * Longest a single case may take, in milliseconds. It catches a parser gone quadratic (minutes on
 * the 2 MB cells below), not slowness: the largest case takes about 0.4 s alone and took 6.5 s
 * with the machine's two cores shared by four other builds, which a 2 s bound failed on.
 */
const MAX_CASE_MS = 20_000;

let cases = 0;
const started = performance.now();
afterAll(() => {
  console.log(`fuzz: ${cases} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

type Outcome<T> = { ok: true; value: T } | { ok: false; error: NablaError };

/** Check a caught value is a documented error with a bounded message. */
function documented(e: unknown): NablaError {
  if (!(e instanceof NablaError)) throw new Error(`not a documented error: ${String((e as Error)?.stack ?? e).slice(0, 500)}`);
  if (e.message.length > MAX_MESSAGE) throw new Error(`message of ${e.message.length} characters: ${e.message.slice(0, 200)}...`);
  return e;
}

function inTime(t: number): void {
  const ms = performance.now() - t;
  if (ms > MAX_CASE_MS) throw new Error(`case took ${ms.toFixed(0)} ms`);
}

/** Run `f`; it must return or throw a NablaError with a bounded message, in bounded time. */
function outcome<T>(f: () => T): Outcome<T> {
  cases++;
  const t = performance.now();
  let r: Outcome<T>;
  try {
    r = { ok: true, value: f() };
  } catch (e) {
    r = { ok: false, error: documented(e) };
  }
  inTime(t);
  return r;
}

async function outcomeAsync<T>(f: () => Promise<T>): Promise<Outcome<T>> {
  cases++;
  const t = performance.now();
  let r: Outcome<T>;
  try {
    r = { ok: true, value: await f() };
  } catch (e) {
    r = { ok: false, error: documented(e) };
  }
  inTime(t);
  return r;
}

// ---------------------------------------------------------------------------------------------
// IDX

const IDX_TYPES = [
  [0x08, 1],
  [0x09, 1],
  [0x0b, 2],
  [0x0c, 4],
  [0x0d, 4],
  [0x0e, 8],
] as const;

function idxBytes(type: number, size: number, shape: number[], fill: (i: number) => number): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const b = new Uint8Array(4 + 4 * shape.length + count * size);
  b[2] = type;
  b[3] = shape.length;
  const v = new DataView(b.buffer);
  shape.forEach((n, i) => v.setUint32(4 + 4 * i, n));
  for (let i = 4 + 4 * shape.length; i < b.length; i++) b[i] = fill(i) & 0xff;
  return b;
}

const validIdx = fc
  .record({
    t: fc.integer({ min: 0, max: IDX_TYPES.length - 1 }),
    shape: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 }),
    salt: fc.integer({ min: 0, max: 255 }),
  })
  .map(({ t, shape, salt }) => {
    const [type, size] = IDX_TYPES[t]!;
    return { bytes: idxBytes(type, size, shape, (i) => i * 31 + salt), shape };
  });

describe('fuzz: parseIdx', () => {
  it('valid files parse to their shape; every truncation and every extra byte is a ParseError', () => {
    fc.assert(
      fc.property(validIdx, ({ bytes, shape }) => {
        const r = outcome(() => parseIdx(bytes));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value.shape).toEqual(shape);
        for (let cut = 0; cut < bytes.length; cut++) {
          const t = outcome(() => parseIdx(bytes.subarray(0, cut)));
          expect(t.ok).toBe(false);
        }
        const longer = new Uint8Array(bytes.length + 1);
        longer.set(bytes);
        expect(outcome(() => parseIdx(longer)).ok).toBe(false);
      }),
      { seed: SEED, numRuns: 150 * SCALE },
    );
  });
  it('byte flips give a result whose size matches its shape, or a ParseError', () => {
    fc.assert(
      fc.property(validIdx, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), ({ bytes }, flips) => {
        const b = bytes.slice();
        for (const [at, value] of flips) if (b.length > 0) b[at % b.length] = value;
        const r = outcome(() => parseIdx(b));
        if (r.ok) expect(r.value.data.length).toBe(r.value.shape.reduce((x, y) => x * y, 1));
      }),
      { seed: SEED, numRuns: 600 * SCALE },
    );
  });
  it('absurd headers (any dimension count, any sizes, any tail) never allocate or misparse', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.array(fc.oneof(fc.constant(0), fc.constant(0xffffffff), fc.constant(2 ** 31), fc.integer({ min: 0, max: 0xffffffff })), { maxLength: 40 }),
        fc.uint8Array({ maxLength: 64 }),
        (dims, sizes, tail) => {
          const b = new Uint8Array(4 + 4 * sizes.length + tail.length);
          b[2] = 0x08;
          b[3] = dims;
          const v = new DataView(b.buffer);
          sizes.forEach((n, i) => v.setUint32(4 + 4 * i, n));
          b.set(tail, 4 + 4 * sizes.length);
          const r = outcome(() => parseIdx(b));
          if (r.ok) {
            const count = r.value.shape.reduce((x, y) => x * y, 1);
            expect(Number.isInteger(count)).toBe(true);
            expect(b.length).toBe(4 + 4 * dims + count);
          }
        },
      ),
      { seed: SEED, numRuns: 600 * SCALE },
    );
  });
  it('random bytes and wrong argument types are ParseErrors', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.anything() as fc.Arbitrary<unknown>), (input) => {
        outcome(() => parseIdx(input as Uint8Array));
      }),
      { seed: SEED, numRuns: 400 * SCALE },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// CSV

const csvChars = fc.constantFrom('a', 'b', '1', '2', '0', '.', '-', 'e', 'x', ',', ',', ',', '"', '\n', '\n', '\r', ' ', '\t', 'N', '\ufeff');
const csvText = fc.array(csvChars, { maxLength: 120 }).map((cs) => cs.join(''));

const validCsv = fc
  .record({
    cols: fc.integer({ min: 2, max: 5 }),
    rows: fc.integer({ min: 1, max: 8 }),
    values: fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 40, maxLength: 40 }),
  })
  .map(({ cols, rows, values }) => {
    const header = Array.from({ length: cols }, (_, c) => `c${c}`).join(',');
    const body = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => String(values[(r * cols + c) % values.length])).join(','));
    return `${header}\n${body.join('\n')}\n`;
  });

describe('fuzz: parseCsv and csvDataset', () => {
  it('random text: a rectangular table or a ParseError; csvDataset: finite numbers or a ParseError', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        const r = outcome(() => parseCsv(text));
        if (!r.ok) return;
        for (const row of r.value.rows) expect(row.length).toBe(r.value.header.length);
        const d = outcome(() => csvDataset(text, { target: r.value.header[0]! }));
        if (d.ok) {
          for (const row of d.value.x) for (const v of row) expect(Number.isFinite(v)).toBe(true);
          for (const row of d.value.y) for (const v of row) expect(Number.isFinite(v)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 1500 * SCALE },
    );
  });
  it('a valid numeric table: every truncation and byte flip ends in a result or a ParseError', () => {
    fc.assert(
      fc.property(validCsv, fc.nat(), fc.constantFrom('"', ',', '\n', 'x', '', 'NaN', '0x1', ' '), (text, at, insert) => {
        const whole = outcome(() => csvDataset(text, { target: 'c0', task: 'regression' }));
        expect(whole.ok).toBe(true);
        const cut = at % (text.length + 1);
        outcome(() => csvDataset(text.slice(0, cut), { target: 'c0' }));
        const flipped = text.slice(0, cut) + insert + text.slice(cut + 1);
        const f = outcome(() => csvDataset(flipped, { target: 'c0' }));
        if (f.ok) for (const row of f.value.x) for (const v of row) expect(Number.isFinite(v)).toBe(true);
      }),
      { seed: SEED, numRuns: 800 * SCALE },
    );
  });
  it('huge cells, headers and wrong option types are bounded ParseErrors', () => {
    const long = 'x'.repeat(2_000_000);
    outcome(() => csvDataset(`a,b\n${long},1\n`, { target: 'b' }));
    outcome(() => csvDataset(`a,b\n1,2\n`, { target: long }));
    outcome(() => parseCsv(`${long},${long}\n1,2\n`));
    outcome(() => parseCsv(`"${long}`));
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (text, target) => {
        outcome(() => csvDataset(text as string, { target: target as string }));
        outcome(() => parseCsv(text as string));
      }),
      { seed: SEED, numRuns: 300 * SCALE },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Model JSON

const reference = new MLP({ sizes: [3, 4, 2], activation: 'tanh', seed: 5 });
const referenceText = JSON.stringify(reference.toJSON());
const input = [[0.5, -1, 2]];

/** A model loaded from hostile input must be whole: finite parameters and finite predictions. */
function checkLoaded(net: MLP): void {
  for (const p of net.getParameters()) {
    for (const v of p.weights.data) expect(Number.isFinite(v)).toBe(true);
    for (const v of p.bias) expect(Number.isFinite(v)).toBe(true);
  }
  if (net.inputSize === 3) {
    const out = net.predict(input) as number[][];
    for (const v of out.flat()) expect(Number.isFinite(v)).toBe(true);
  }
}

/** Replace the value at a random path of `doc` (walked by `choices`) with `value`. */
function mutate(doc: unknown, choices: number[], value: unknown): unknown {
  const root = JSON.parse(JSON.stringify(doc)) as unknown;
  let node = root as Record<string, unknown> | unknown[];
  for (const c of choices) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[c % keys.length]!;
    const child = (node as Record<string, unknown>)[key];
    if (typeof child !== 'object' || child === null || c % 3 === 0) {
      (node as Record<string, unknown>)[key] = value;
      return root;
    }
    node = child as Record<string, unknown>;
  }
  return root;
}

describe('fuzz: MLP.fromJSON', () => {
  it('the model text truncated at every offset is a ModelFormatError', () => {
    for (let cut = 0; cut < referenceText.length; cut++) {
      const r = outcome(() => MLP.fromJSON(referenceText.slice(0, cut)));
      expect(r.ok).toBe(false);
    }
  });
  it('byte flips in the text: a whole model or a ModelFormatError', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.constantFrom('0', '9', '-', 'e', '.', '"', ',', '[', ']', '{', '}', ' ', 'x', 'E', '+')), { minLength: 1, maxLength: 3 }), (flips) => {
        const chars = referenceText.split('');
        for (const [at, c] of flips) chars[at % chars.length] = c;
        const r = outcome(() => MLP.fromJSON(chars.join('')));
        if (r.ok) checkLoaded(r.value);
      }),
      { seed: SEED, numRuns: 1500 * SCALE },
    );
  });
  it('any value at any place of the document: a whole model or a ModelFormatError', () => {
    const hostile = fc.oneof(
      fc.anything(),
      fc.constantFrom(1e39, -1e39, 3.5e38, 1e308, Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 31, 2 ** 53, 1e-320, null, '', [], {}),
      fc.integer({ min: -3, max: 1e7 }),
    );
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), hostile, (path, value) => {
        const doc = mutate(reference.toJSON(), path, value);
        const r = outcome(() => MLP.fromJSON(doc));
        if (r.ok) checkLoaded(r.value);
      }),
      { seed: SEED, numRuns: 2000 * SCALE },
    );
  });
  it('deep nesting and long strings anywhere are bounded ModelFormatErrors', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.integer({ min: 60, max: 50_000 }), fc.boolean(), (path, depth, asText) => {
        let deep: unknown = 0;
        for (let i = 0; i < depth; i++) deep = i % 2 === 0 ? [deep] : { a: deep };
        const doc = mutate(reference.toJSON(), path, deep);
        let text: string | undefined;
        try {
          text = JSON.stringify(doc);
        } catch {
          // too deep for JSON.stringify itself: the object form is still tested
        }
        outcome(() => MLP.fromJSON(asText && text !== undefined ? text : doc));
      }),
      { seed: SEED, numRuns: 60 * SCALE },
    );
    const long = 'y'.repeat(5_000_000);
    for (const key of ['format', 'dtype', 'loss', 'init', 'seed', 'version', 'sizes', 'layers']) {
      const r = outcome(() => MLP.fromJSON({ ...reference.toJSON(), [key]: long }));
      expect(r.ok).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Engine API: wrong types and shapes in every argument; the network unchanged after an error.

const wrong = fc.oneof(
  fc.anything(),
  fc.constantFrom(null, undefined, Number.NaN, -1, 0, 1.5, 2 ** 31, '3', [], {}, [[]], [null], [[null]], [[Number.NaN, 1, 2]], [[1, 2]], [[1, 2, 3]], [[1, 2, 3], [1]]),
  fc.array(fc.array(fc.double(), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
);

describe('fuzz: engine API', () => {
  it('new MLP(options) with a wrong value in any option: a network or a documented error', () => {
    const keys = ['sizes', 'activation', 'output', 'loss', 'dtype', 'dropout', 'init', 'seed'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...keys), wrong, (key, value) => {
        const r = outcome(() => new MLP({ sizes: [3, 4, 2], [key]: value } as never));
        if (r.ok) expect(r.value.parameterCount).toBeLessThanOrEqual(2 ** 28);
      }),
      { seed: SEED, numRuns: 800 * SCALE },
    );
  });
  it('predict, evaluate, gradients, setParameters, activationsOf with wrong arguments leave the network unchanged', () => {
    const net = new MLP({ sizes: [3, 4, 2], activation: 'tanh', seed: 5 });
    const before = JSON.stringify(net.toJSON());
    fc.assert(
      fc.property(wrong, wrong, fc.integer({ min: 0, max: 4 }), (a, b, which) => {
        const r = outcome((): unknown => {
          switch (which) {
            case 0:
              return net.predict(a as never);
            case 1:
              return net.evaluate(a as never, b as never);
            case 2:
              return net.gradients(a as never, b as never, { checkpoint: b as never });
            case 3:
              return net.setParameters(a as never);
            default:
              return net.activationsOf(a as never);
          }
        });
        if (!r.ok || which !== 3) expect(JSON.stringify(net.toJSON())).toBe(before);
        if (r.ok && which === 0) {
          const out = r.value instanceof Matrix ? Array.from(r.value.data) : (r.value as number[][]).flat();
          for (const v of out) expect(Number.isFinite(v)).toBe(true);
        }
        if (r.ok && which === 3) net.setParameters(MLP.fromJSON(before).getParameters());
      }),
      { seed: SEED, numRuns: 1500 * SCALE },
    );
  });
  it('optimizers with wrong options: an optimizer or a ConfigError', () => {
    fc.assert(
      fc.property(wrong, fc.constantFrom('learningRate', 'momentum', 'beta1', 'beta2', 'epsilon', 'weightDecay'), (value, key) => {
        outcome(() => sgd({ [key]: value } as never));
        outcome(() => adam({ [key]: value } as never));
        outcome(() => adam(value as never));
      }),
      { seed: SEED, numRuns: 400 * SCALE },
    );
  });
  it('train with a wrong value in data or any option: a history or a documented error, network unchanged on error', async () => {
    const x = [
      [0, 1, 2],
      [1, 0, -1],
      [2, 2, 2],
    ];
    const y = [
      [1, 0],
      [0, 1],
      [1, 0],
    ];
    const keys = ['epochs', 'batchSize', 'optimizer', 'shuffle', 'seed', 'validation', 'checkpoint', 'earlyStopping', 'yieldEveryMs', 'data.x', 'data.y', 'data'] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), wrong, async (key, value) => {
        const net = new MLP({ sizes: [3, 4, 2], activation: 'tanh', seed: 5 });
        const before = JSON.stringify(net.toJSON());
        const data = key === 'data' ? value : key === 'data.x' ? { x: value, y } : key === 'data.y' ? { x, y: value } : { x, y };
        const options = key.startsWith('data') ? { epochs: 1 } : { epochs: 1, [key]: value };
        if (key === 'epochs' && typeof value === 'number' && value > 5) return;
        const r = await outcomeAsync(() => train(net, data as never, options as never));
        if (!r.ok && !(r.error.name === 'DivergenceError')) expect(JSON.stringify(net.toJSON())).toBe(before);
        if (r.ok) checkLoaded(net);
      }),
      { seed: SEED, numRuns: 500 * SCALE },
    );
  });
});
