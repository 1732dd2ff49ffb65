// The step-through's network and batch as a URL query, so the playground (or anyone) can link to
// the figure for a network of their own:
//
//   ?sizes=3-5-4-2&act=tanh,relu&out=softmax&loss=cross-entropy&seed=3
//    &x=0.5,-1,0.25;1.5,0.25,2;-0.75,0.8,0   (B samples as rows, `;` between rows)
//    &y=0,1,1                                (cross-entropy: one class per sample)
//    &y=0.3;-1.2;0.5                         (other losses: n_L targets per sample, as x)
//    &w=f<base64url>                         (optional: the parameters, W^1 row-major, b^1, W^2, ...,
//                                             little-endian float32 after `f`, float64 after `d`)
//    &steps=120                              (optional: batches the network was trained for)
//
// Without `w` the network is initialised from `seed`. Every value is checked; `parseSetup`
// never throws: a bad query gives the default setup and a message saying what was wrong.
import { type ActivationName, activationNames, type LossName, lossNames, MLP, type OutputName } from '@nabla/core';

/** The most units per layer, weight layers and samples the figure shows legibly. */
export const MAX_WIDTH = 8;
export const MAX_DEPTH = 6;
export const MAX_BATCH = 6;
/** The longest query the figure reads (the parameters of a full 6 x 8 network in float32 fit). */
export const MAX_QUERY = 6000;

/** A network and one batch: what the figure computes. */
export interface Setup {
  readonly network: {
    readonly sizes: readonly number[];
    /** One activation per hidden layer. */
    readonly activation: readonly ActivationName[];
    readonly output: OutputName;
    readonly loss: LossName;
    readonly dtype: 'float64';
    readonly seed: number;
  };
  /** The samples as rows, as the API takes them. */
  readonly x: readonly (readonly number[])[];
  /** The targets as rows: one-hot for cross-entropy. */
  readonly y: readonly (readonly number[])[];
  /** The parameters flat (W^k row-major then b^k, layer by layer); absent: initialised from the seed. */
  readonly params?: Float64Array;
  /** Batches the network was trained for, when it came from the playground. */
  readonly steps?: number;
}

/** The figure's own network: 2-4-3-2, tanh, softmax with cross-entropy, seed 7, three samples. */
export const DEFAULT_SETUP: Setup = {
  network: { sizes: [2, 4, 3, 2], activation: ['tanh', 'tanh'], output: 'softmax', loss: 'cross-entropy', dtype: 'float64', seed: 7 },
  x: [
    [0.5, -1],
    [1.5, 0.25],
    [-0.75, 0.8],
  ],
  /** One-hot labels: classes 0, 1, 1. */
  y: [
    [1, 0],
    [0, 1],
    [0, 1],
  ],
};

/** Number of parameters of a network of these sizes. */
export function parameterCount(sizes: readonly number[]): number {
  let n = 0;
  for (let k = 1; k < sizes.length; k++) n += sizes[k]! * (sizes[k - 1]! + 1);
  return n;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    s += B64[n >> 18]! + B64[(n >> 12) & 63]!;
    if (i + 1 < bytes.length) s += B64[(n >> 6) & 63]!;
    if (i + 2 < bytes.length) s += B64[n & 63]!;
  }
  return s;
}

function fromBase64Url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const ch of s) {
    value = (value << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 255;
    }
  }
  return out;
}

/** The parameters as `w`: float32 when every value is one (the playground trains in float32), else float64; lossless either way. */
export function encodeParams(params: ArrayLike<number>): string {
  const all32 = Array.from(params).every((v) => Math.fround(v) === v);
  const typed = all32 ? Float32Array.from(params) : Float64Array.from(params);
  const bytes = new Uint8Array(typed.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < typed.length; i++) {
    if (all32) view.setFloat32(4 * i, typed[i]!, true);
    else view.setFloat64(8 * i, typed[i]!, true);
  }
  return (all32 ? 'f' : 'd') + toBase64Url(bytes);
}

/** `w` back to float64 parameters, or a message naming what is wrong. */
export function decodeParams(w: string, count: number): Float64Array | string {
  const kind = w[0];
  if (kind !== 'f' && kind !== 'd') return `w must start with f (float32) or d (float64), got ${JSON.stringify(w.slice(0, 8))}`;
  const bytes = fromBase64Url(w.slice(1));
  if (bytes === null) return 'w is not base64url';
  const size = kind === 'f' ? 4 : 8;
  if (bytes.length !== count * size) return `w holds ${Math.floor(bytes.length / size)} parameters, the network has ${count}`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const v = kind === 'f' ? view.getFloat32(4 * i, true) : view.getFloat64(8 * i, true);
    if (!Number.isFinite(v)) return `w: parameter ${i} is ${v}`;
    out[i] = v;
  }
  return out;
}

function rows(text: string, name: string, width: number): number[][] | string {
  const out = text.split(';').map((r) => r.split(',').map((v) => (v.trim() === '' ? Number.NaN : Number(v))));
  for (let j = 0; j < out.length; j++) {
    const r = out[j]!;
    if (r.length !== width) return `${name}: sample ${j + 1} has ${r.length} values, the network needs ${width}`;
    const bad = r.findIndex((v) => !Number.isFinite(v) || Math.abs(v) > 1e6);
    if (bad >= 0) return `${name}: sample ${j + 1}, value ${bad + 1} is not a finite number up to 1e6 in size`;
  }
  return out;
}

const formatRows = (m: readonly (readonly number[])[]): string => m.map((r) => r.map(String).join(',')).join(';');

/** The query string (without `?`) of a setup: what `parseSetup` reads back. */
export function formatSetup(setup: Setup): string {
  const n = setup.network;
  const parts = [
    `sizes=${n.sizes.join('-')}`,
    `act=${n.activation.join(',')}`,
    `out=${n.output}`,
    `loss=${n.loss}`,
    `seed=${n.seed}`,
    `x=${formatRows(setup.x)}`,
    `y=${n.loss === 'cross-entropy' ? setup.y.map((r) => r.indexOf(Math.max(...r))).join(',') : formatRows(setup.y)}`,
  ];
  if (setup.params) parts.push(`w=${encodeParams(setup.params)}`);
  if (setup.steps !== undefined) parts.push(`steps=${setup.steps}`);
  return parts.map((p) => p.replaceAll(';', '%3B')).join('&');
}

/** What a query gives: the setup to draw, whether it came from the query, and what was wrong when not. */
export interface Parsed {
  readonly setup: Setup;
  readonly fromQuery: boolean;
  readonly message?: string;
}

const fail = (message: string): Parsed => ({ setup: DEFAULT_SETUP, fromQuery: false, message });

/** Read a setup from a query string (`location.search`); no `sizes` means the default, silently. */
export function parseSetup(search: string): Parsed {
  if (search.length > MAX_QUERY) return fail(`the link is ${search.length} characters long, more than the ${MAX_QUERY} the figure reads`);
  let q: URLSearchParams;
  try {
    q = new URLSearchParams(search);
  } catch {
    return fail('the link could not be read');
  }
  const sizesText = q.get('sizes');
  if (sizesText === null) return { setup: DEFAULT_SETUP, fromQuery: false };
  const sizes = sizesText.split('-').map((s) => (/^\d{1,4}$/.test(s) ? Number(s) : Number.NaN));
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) return fail(`sizes must be two or more positive integers joined by -, got ${JSON.stringify(sizesText)}`);
  if (sizes.length - 1 > MAX_DEPTH || sizes.some((s) => s > MAX_WIDTH)) {
    return fail(`the network ${sizes.join('-')} is larger than the figure shows legibly (at most ${MAX_DEPTH} layers of at most ${MAX_WIDTH} units)`);
  }
  const hidden = sizes.length - 2;
  const actText = q.get('act') ?? (hidden > 0 ? 'tanh' : '');
  const acts = actText === '' ? [] : actText.split(',');
  const bad = acts.find((a) => !(activationNames as readonly string[]).includes(a));
  if (bad !== undefined) return fail(`act: unknown activation ${JSON.stringify(bad)} (one of ${activationNames.join(', ')})`);
  if (acts.length !== hidden && !(acts.length === 1 && hidden > 0)) return fail(`act names ${acts.length} activations, the network has ${hidden} hidden layers`);
  const activation = (acts.length === hidden ? acts : acts.length === 0 ? [] : new Array(hidden).fill(acts[0])) as ActivationName[];
  const output = (q.get('out') ?? 'softmax') as OutputName;
  if (output !== 'softmax' && !(activationNames as readonly string[]).includes(output)) return fail(`out: unknown output ${JSON.stringify(output)}`);
  const loss = (q.get('loss') ?? (output === 'softmax' ? 'cross-entropy' : output === 'sigmoid' ? 'binary-cross-entropy' : 'mse')) as LossName;
  if (!(lossNames as readonly string[]).includes(loss)) return fail(`loss: unknown loss ${JSON.stringify(loss)} (one of ${lossNames.join(', ')})`);
  const seedText = q.get('seed') ?? '1';
  const seed = /^\d{1,10}$/.test(seedText) ? Number(seedText) : Number.NaN;
  if (!(seed <= 0xffffffff)) return fail(`seed must be an integer from 0 to 4294967295, got ${JSON.stringify(seedText)}`);
  const network = { sizes, activation, output, loss, dtype: 'float64', seed } as const;
  try {
    // The engine's own checks: an output the loss does not accept, a softmax of one unit.
    new MLP(network);
  } catch (e) {
    return fail((e as Error).message);
  }
  const n0 = sizes[0]!;
  const nL = sizes[sizes.length - 1]!;
  const xText = q.get('x');
  if (xText === null || xText === '') return fail('x (the samples of the batch) is missing');
  const x = rows(xText, 'x', n0);
  if (typeof x === 'string') return fail(x);
  if (x.length > MAX_BATCH) return fail(`x has ${x.length} samples, the figure shows at most ${MAX_BATCH}`);
  const yText = q.get('y') ?? '';
  let y: number[][];
  if (loss === 'cross-entropy') {
    const labels = yText.split(',').map((s) => (/^\d{1,2}$/.test(s) ? Number(s) : Number.NaN));
    if (labels.length !== x.length) return fail(`y names ${labels.length} classes for ${x.length} samples`);
    const wrong = labels.findIndex((c) => !(c < nL));
    if (wrong >= 0) return fail(`y: the class of sample ${wrong + 1} must be an integer from 0 to ${nL - 1}, got ${JSON.stringify(yText.split(',')[wrong])}`);
    y = labels.map((c) => Array.from({ length: nL }, (_, i) => (i === c ? 1 : 0)));
  } else {
    const t = rows(yText, 'y', nL);
    if (typeof t === 'string') return fail(t);
    if (t.length !== x.length) return fail(`y has ${t.length} samples, x has ${x.length}`);
    if (loss === 'binary-cross-entropy' && t.some((r) => r.some((v) => v < 0 || v > 1))) return fail('y: binary cross-entropy needs targets in [0, 1]');
    y = t;
  }
  let params: Float64Array | undefined;
  const w = q.get('w');
  if (w !== null) {
    const p = decodeParams(w, parameterCount(sizes));
    if (typeof p === 'string') return fail(p);
    params = p;
  }
  const stepsText = q.get('steps');
  let steps: number | undefined;
  if (stepsText !== null) {
    if (!/^\d{1,12}$/.test(stepsText)) return fail(`steps must be a whole number, got ${JSON.stringify(stepsText)}`);
    steps = Number(stepsText);
  }
  return { setup: { network, x, y, ...(params ? { params } : {}), ...(steps !== undefined ? { steps } : {}) }, fromQuery: true };
}

/** The network of a setup, with its parameters when it carries them. */
export function networkOf(setup: Setup): MLP {
  const net = new MLP(setup.network);
  const p = setup.params;
  if (p) {
    const sizes = setup.network.sizes;
    let at = 0;
    const layers = [];
    for (let k = 1; k < sizes.length; k++) {
      const nOut = sizes[k]!;
      const nIn = sizes[k - 1]!;
      const weights = Array.from({ length: nOut }, (_, r) => Array.from(p.subarray(at + r * nIn, at + (r + 1) * nIn)));
      at += nOut * nIn;
      layers.push({ weights, bias: Array.from(p.subarray(at, at + nOut)) });
      at += nOut;
    }
    net.setParameters(layers);
  }
  return net;
}
