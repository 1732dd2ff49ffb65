import type { CheckpointStrategy } from './checkpoint/types.js';
import { ConfigError } from './errors.js';
import type { MatrixLike } from './matrix/matrix.js';
import type { MLP } from './network.js';
import { Random } from './random.js';
import { brief } from './limits.js';

/** Options of `gradcheck`. */
export interface GradcheckOptions {
  /**
   * Points of the central difference: 2 gives (L(p + h) − L(p − h)) / 2h, error O(h²);
   * 4 gives (−L(p + 2h) + 8L(p + h) − 8L(p − h) + L(p − 2h)) / 12h, error O(h⁴), which allows a
   * larger h and so less rounding error. Default 4.
   */
  readonly points?: 2 | 4;
  /** Step h. Default 1e-4 with 4 points, 1e-6 with 2. */
  readonly epsilon?: number;
  /** Check at most this many entries per parameter array, chosen with a seed. Default: all. */
  readonly maxPerArray?: number;
  /** Seed of the entry choice. Default 1. */
  readonly seed?: number;
  /** Strategy of the analytic gradient (the check then also covers checkpointing). Default 'none'. */
  readonly checkpoint?: CheckpointStrategy;
  /** Dropout seed: with it, both sides use the same fixed dropout masks. */
  readonly dropoutSeed?: number;
}

/** Agreement of one parameter array. */
export interface ArrayCheck {
  /** Layer k (1-based, as in the notes). */
  readonly layer: number;
  readonly kind: 'weights' | 'bias';
  /** ‖analytic − numeric‖₂ / max(‖analytic‖₂, ‖numeric‖₂) over the checked entries (0 when both vanish). */
  readonly relativeError: number;
  /** Largest |analytic − numeric| over the checked entries. */
  readonly maxAbsoluteError: number;
  readonly checked: number;
}

/** What `gradcheck` returns. */
export interface GradcheckResult {
  /** The worst relative error over all arrays. */
  readonly maxRelativeError: number;
  readonly arrays: ArrayCheck[];
}

/**
 * Compare the backward pass with central finite differences, parameter by parameter: the
 * classic test of a hand-derived gradient. Use a float64 network; float32 rounding swamps
 * differences of size 1e-6. The network's parameters are restored exactly afterwards.
 */
export function gradcheck(net: MLP, x: MatrixLike, y: MatrixLike, options: GradcheckOptions = {}): GradcheckResult {
  const points = options.points ?? 4;
  if (points !== 2 && points !== 4) throw new ConfigError(`gradcheck: points must be 2 or 4, got ${brief(points)}`);
  const h = options.epsilon ?? (points === 4 ? 1e-4 : 1e-6);
  if (!(h > 0 && Number.isFinite(h))) throw new ConfigError(`gradcheck: epsilon must be a finite number > 0, got ${brief(h)}`);
  const analytic = net.gradients(x, y, {
    ...(options.checkpoint !== undefined ? { checkpoint: options.checkpoint } : {}),
    ...(options.dropoutSeed !== undefined ? { dropoutSeed: options.dropoutSeed } : {}),
  });
  const lossAt = (): number =>
    options.dropoutSeed === undefined ? net.evaluate(x, y).loss : net.gradients(x, y, { dropoutSeed: options.dropoutSeed }).loss;
  const { params } = net._buffers();
  const rng = new Random(options.seed ?? 1);
  const arrays: ArrayCheck[] = [];
  for (let a = 0; a < params.length; a++) {
    const p = params[a]!;
    const layer = Math.floor(a / 2) + 1;
    const kind = a % 2 === 0 ? 'weights' : 'bias';
    const grad = kind === 'weights' ? analytic.gradients[layer - 1]!.weights.data : analytic.gradients[layer - 1]!.bias;
    let indices = Array.from({ length: p.length }, (_, i) => i);
    if (options.maxPerArray !== undefined && options.maxPerArray < p.length) indices = rng.shuffle(indices).slice(0, options.maxPerArray);
    let diff2 = 0;
    let an2 = 0;
    let nu2 = 0;
    let maxAbs = 0;
    for (const i of indices) {
      const saved = p[i]!;
      const at = (delta: number): number => {
        p[i] = saved + delta;
        return lossAt();
      };
      const numeric = points === 2 ? (at(h) - at(-h)) / (2 * h) : (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
      p[i] = saved;
      const an = grad[i]!;
      diff2 += (an - numeric) ** 2;
      an2 += an * an;
      nu2 += numeric * numeric;
      maxAbs = Math.max(maxAbs, Math.abs(an - numeric));
    }
    const denom = Math.max(Math.sqrt(an2), Math.sqrt(nu2));
    arrays.push({ layer, kind, relativeError: denom === 0 ? 0 : Math.sqrt(diff2) / denom, maxAbsoluteError: maxAbs, checked: indices.length });
  }
  return { maxRelativeError: Math.max(...arrays.map((c) => c.relativeError)), arrays };
}
