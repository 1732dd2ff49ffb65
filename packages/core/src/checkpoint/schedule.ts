import { ConfigError } from '../base/errors.js';
import { normalizeStrategy } from './strategy.js';
import type { CheckpointStep, CheckpointStrategy } from './types.js';
import { brief } from '../base/limits.js';

/**
 * Build the schedule of one gradient computation through L layers: which activations are
 * computed, stored, recomputed and freed, and when each layer's backward runs. Pure data; no
 * network is needed. The executor in `MLP.gradients` runs exactly these steps.
 *
 * Memory convention: g^0 (the engine's copy of the input) is live from the start and counts as
 * an activation and as a checkpoint. Then
 * - `'none'` peaks at L + 1 activations (g^0 ... g^L) and evaluates L forwards;
 * - `{ every: k }` peaks at no more than ceil(L/k) + k activations and evaluates at most 2L forwards;
 * - `{ budget: s }` keeps at most s checkpoints (g^0 included) and peaks at s + 2 activations
 *   (the checkpoints, the activation being advanced from and the one being computed).
 */
export function checkpointSchedule(layers: number, strategy: CheckpointStrategy = 'none'): CheckpointStep[] {
  if (!Number.isInteger(layers) || layers < 1) {
    throw new ConfigError(`checkpointSchedule: layers must be an integer >= 1, got ${brief(layers)}`);
  }
  const s = normalizeStrategy(layers, strategy, 'checkpointSchedule');
  if (s.kind === 'none') return everySchedule(layers, 1);
  if (s.kind === 'every') return everySchedule(layers, s.k);
  // With L − 1 checkpoints the plain sweep already fits: g^0 ... g^{L−2} are the checkpoints
  // and g^{L−1} is the activation being worked on, as in the plain schedule.
  if (s.s >= layers - 1) {
    return everySchedule(layers, 1).filter((step) => !(step.op === 'store' && step.layer === layers - 1 && s.s < layers));
  }
  return binomialSchedule(layers, s.s);
}

/**
 * Segments of k layers (Chen et al. 2016, "Training Deep Nets with Sublinear Memory Cost").
 * The first sweep keeps g^0, g^k, g^{2k}, ... and the whole last segment; each earlier segment is
 * recomputed once from its checkpoint when the backward pass enters it. k = 1 is plain
 * backpropagation.
 */
function everySchedule(L: number, k: number): CheckpointStep[] {
  const steps: CheckpointStep[] = [];
  // [eq:every-k] linked from docs/checkpointing.mdx
  const lastStart = Math.floor((L - 1) / k) * k; // the last checkpoint below L
  const isCheckpoint = (i: number): boolean => i % k === 0 && i < L;
  // First sweep.
  for (let i = 1; i <= L; i++) {
    steps.push({ op: 'forward', layer: i, recompute: false });
    if (isCheckpoint(i)) steps.push({ op: 'store', layer: i });
    const prev = i - 1;
    if (!isCheckpoint(prev) && prev < lastStart) steps.push({ op: 'free', layer: prev });
  }
  // Backward, segment by segment from the top.
  let top = L;
  for (let start = lastStart; start >= 0; start -= k) {
    if (start !== lastStart) {
      for (let i = start + 1; i < top; i++) steps.push({ op: 'forward', layer: i, recompute: true });
    }
    for (let i = top; i > start; i--) {
      steps.push({ op: 'backward', layer: i });
      steps.push({ op: 'free', layer: i });
    }
    top = start;
  }
  steps.push({ op: 'free', layer: 0 });
  return steps;
}

/**
 * Minimal advance counts of the binomial schedule: cost[s][l] = fewest forwards that are not
 * immediately reversed, to reverse l layers from one stored state with s checkpoint slots
 * (that state's slot included). cost[1][l] = l(l−1)/2, and for s >= 2
 * cost[s][l] = min_{1<=j<l} j + cost[s−1][l−j] + cost[s][j]. `split[s][l]` is the best j.
 * Griewank & Walther 2000 ("Algorithm 799: revolve", ACM TOMS) show the optimum is
 * r l − C(s+r, s+1) with r the least integer such that C(s+r, s) >= l.
 */
function binomialTables(L: number, S: number): { split: Int32Array[] } {
  const cost: Float64Array[] = [];
  const split: Int32Array[] = [];
  for (let s = 0; s <= S; s++) {
    cost.push(new Float64Array(L + 1));
    split.push(new Int32Array(L + 1));
  }
  // [eq:binomial-recurrence] linked from docs/checkpointing.mdx
  for (let l = 1; l <= L; l++) cost[1]![l] = (l * (l - 1)) / 2;
  for (let s = 2; s <= S; s++) {
    const c = cost[s]!;
    const cPrev = cost[s - 1]!;
    const sp = split[s]!;
    for (let l = 2; l <= L; l++) {
      let best = Number.POSITIVE_INFINITY;
      let bestJ = 1;
      for (let j = 1; j < l; j++) {
        const v = j + cPrev[l - j]! + c[j]!;
        if (v < best) {
          best = v;
          bestJ = j;
        }
      }
      c[l] = best;
      sp[l] = bestJ;
    }
  }
  return { split };
}

/**
 * The binomial (revolve) schedule: reverses L layers keeping at most s checkpoints (g^0
 * included) with the fewest forwards. Griewank & Walther 2000.
 */
function binomialSchedule(L: number, S: number): CheckpointStep[] {
  const { split } = binomialTables(L, S);
  const steps: CheckpointStep[] = [];
  const computed = new Uint8Array(L + 1);
  const forward = (i: number): void => {
    steps.push({ op: 'forward', layer: i, recompute: computed[i] === 1 });
    computed[i] = 1;
  };
  // Advance from the checkpoint g^a to g^b (a < b), freeing the intermediate activations.
  const advance = (a: number, b: number): void => {
    for (let i = a + 1; i <= b; i++) {
      forward(i);
      if (i - 1 > a) steps.push({ op: 'free', layer: i - 1 });
    }
  };
  // Reverse layers a+1..b with g^a live as a checkpoint and s slots (g^a's included).
  const reverse = (a: number, b: number, s: number): void => {
    const l = b - a;
    if (l === 1) {
      // The turn: compute g^b from g^a, backpropagate through layer b, drop g^b.
      forward(b);
      steps.push({ op: 'backward', layer: b });
      steps.push({ op: 'free', layer: b });
      return;
    }
    if (s === 1) {
      for (let top = b; top > a; top--) {
        if (top - 1 > a) advance(a, top - 1);
        forward(top);
        steps.push({ op: 'backward', layer: top });
        steps.push({ op: 'free', layer: top });
        if (top - 1 > a) steps.push({ op: 'free', layer: top - 1 });
      }
      return;
    }
    const m = a + split[s]![l]!;
    advance(a, m);
    steps.push({ op: 'store', layer: m });
    reverse(m, b, s - 1);
    steps.push({ op: 'free', layer: m });
    reverse(a, m, s);
  };
  reverse(0, L, S);
  steps.push({ op: 'free', layer: 0 });
  return steps;
}
