/**
 * A checkpointing schedule is data: the exact sequence of layer forwards, stores, frees and
 * layer backwards that one gradient computation performs. It can be built without a network,
 * counted, tested and drawn.
 *
 * Layers are numbered 1..L as in the notes; g^0 is the engine's copy of the input batch and is
 * live when the schedule starts. g^k = σ(W^k g^{k-1} + b^k) is the output of layer k.
 */
export type CheckpointStep =
  /**
   * Compute g^layer from g^{layer-1}, which must be live; g^layer becomes live.
   * `recompute` is true when g^layer was computed earlier in the same pass and freed.
   */
  | { readonly op: 'forward'; readonly layer: number; readonly recompute: boolean }
  /** Mark the live g^layer as a checkpoint, kept across segments (a label: no memory moves). */
  | { readonly op: 'store'; readonly layer: number }
  /** Release g^layer. */
  | { readonly op: 'free'; readonly layer: number }
  /**
   * Backpropagate through layer `layer`: needs g^layer, g^{layer-1} and dL/dg^layer; produces
   * dL/dW^layer, dL/db^layer and dL/dg^{layer-1}. Backward steps run in order L, L-1, ..., 1.
   */
  | { readonly op: 'backward'; readonly layer: number };

/**
 * How the backward pass trades compute for memory.
 * - `'none'`: keep every activation (plain backpropagation).
 * - `{ every: k }`: keep g^0, g^k, g^{2k}, ...; recompute each segment once when the backward
 *   pass enters it (Chen et al. 2016).
 * - `'sqrt'`: `{ every: ceil(sqrt(L)) }`.
 * - `{ budget: s }`: the binomial (revolve) schedule with at most s checkpoints, g^0 included,
 *   and the fewest layer forwards (Griewank & Walther 2000).
 */
export type CheckpointStrategy = 'none' | 'sqrt' | { readonly every: number } | { readonly budget: number };

/** Counts of a schedule, from `simulateSchedule`. */
export interface ScheduleStats {
  /** Number of layers L. */
  readonly layers: number;
  /** Total layer forward evaluations, including the first sweep (plain backprop: L). */
  readonly forwardEvaluations: number;
  /** forwardEvaluations - L: the price paid for the memory saved. */
  readonly recomputations: number;
  /**
   * Forwards that are not immediately followed by the backward of the same layer: the count
   * Griewank & Walther's formula gives (plain backprop: L - 1).
   */
  readonly advanceForwards: number;
  /** Most activation buffers live at once, g^0 and the layer being computed included. */
  readonly peakActivations: number;
  /** Most checkpoints (stored activations, g^0 included) live at once. */
  readonly peakCheckpoints: number;
}
