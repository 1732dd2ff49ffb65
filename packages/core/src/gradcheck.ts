import type { CheckpointStrategy } from './checkpoint/types.js';
import { ConfigError, ShapeError } from './base/errors.js';
import type { MatrixLike } from './matrix/matrix.js';
import { engineOf } from './network/engine.js';
import type { MLP } from './network/mlp.js';
import type { LayerParameters } from './network/types.js';
import { Random } from './random.js';
import { brief } from './base/limits.js';

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
  /** Check the training-mode gradient: both sides then use the same fixed dropout masks. Default false. */
  readonly training?: boolean;
  /** Seed of those dropout masks (with `training`). Default: the network's seed. */
  readonly dropoutSeed?: number;
  /**
   * The analytic gradient to check, layer k at index k − 1, as `net.gradients(x, y).layers`
   * returns it. Default: that very call. Passing one in checks a gradient computed elsewhere, and
   * lets a test show that a wrong gradient is caught.
   */
  readonly gradients?: readonly LayerParameters[];
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
  const mode = {
    ...(options.training !== undefined ? { training: options.training } : {}),
    ...(options.dropoutSeed !== undefined ? { dropoutSeed: options.dropoutSeed } : {}),
  };
  const analytic = options.gradients ?? net.gradients(x, y, { ...mode, ...(options.checkpoint !== undefined ? { checkpoint: options.checkpoint } : {}) }).layers;
  if (!Array.isArray(analytic) || analytic.length !== net.depth) {
    throw new ShapeError(`gradcheck: gradients needs ${net.depth} layers, got ${Array.isArray(analytic) ? analytic.length : String(analytic)}`);
  }
  const lossAt = (): number => (options.training === true ? net.gradients(x, y, mode).loss : net.evaluate(x, y).loss);
  const rng = new Random(options.seed ?? 1);
  const arrays: ArrayCheck[] = [];
  for (const { layer, kind, param: p } of engineOf(net).slots) {
    const given = analytic[layer - 1]!;
    const grad = kind === 'weights' ? given.weights.data : given.bias;
    if (grad.length !== p.length) {
      throw new ShapeError(`gradcheck: gradients[${layer - 1}].${kind} has ${grad.length} entries, layer ${layer} has ${p.length}`);
    }
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
      // [eq:central-difference] linked from docs/notes/gradcheck.md
      const numeric = points === 2 ? (at(h) - at(-h)) / (2 * h) : (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
      p[i] = saved;
      const an = grad[i]!;
      diff2 += (an - numeric) ** 2;
      an2 += an * an;
      nu2 += numeric * numeric;
      maxAbs = Math.max(maxAbs, Math.abs(an - numeric));
    }
    // [eq:relative-error] linked from docs/notes/gradcheck.md
    const denom = Math.max(Math.sqrt(an2), Math.sqrt(nu2));
    arrays.push({ layer, kind, relativeError: denom === 0 ? 0 : Math.sqrt(diff2) / denom, maxAbsoluteError: maxAbs, checked: indices.length });
  }
  return { maxRelativeError: Math.max(...arrays.map((c) => c.relativeError)), arrays };
}
