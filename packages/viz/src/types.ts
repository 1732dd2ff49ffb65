/**
 * The plain data the views read. Each type is structural and matches what `@nabla/core`
 * produces (`ModelJSON`, `EpochRecord`, `CheckpointStep`) without importing it, so the views
 * work with any source of the same shape: a saved model file, a Web Worker message, a fixture.
 */

/** One layer of a network snapshot: W^k as n_k rows of n_{k-1} numbers, and b^k. */
export interface LayerSnapshot {
  /** The layer's activation name, e.g. `'relu'`; for the last layer, the output function. */
  readonly activation: string;
  /** Dropout rate used in training; drawn in the hover text only. */
  readonly dropout?: number;
  /** W^k: n_k rows of n_{k-1} weights. */
  readonly weights: readonly (readonly number[])[];
  /** b^k: n_k biases. */
  readonly bias: readonly number[];
}

/** A network snapshot: `ModelJSON` from `MLP.toJSON()` satisfies it. */
export interface NetworkSnapshot {
  /** Layer sizes n_0 ... n_L. */
  readonly sizes: readonly number[];
  /** Layers 1..L (index 0 holds layer 1). */
  readonly layers: readonly LayerSnapshot[];
}

/** One epoch of training history: core's `EpochRecord` satisfies it. */
export interface EpochPoint {
  /** 1-based epoch number. */
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy?: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
}

/** One optimisation step (a mini-batch), e.g. from core's `onBatchEnd`. */
export interface StepPoint {
  /** Global step number, increasing. */
  readonly step: number;
  readonly loss: number;
  readonly accuracy?: number;
}

/**
 * The schedule language and its simulation are core's (type-only imports: the views take plain
 * data and load no engine code). A step is core's `CheckpointStep`; a cell of the timeline is
 * core's `ScheduleCell`, from `simulateSchedule(L, steps, widths, { cells: true })`.
 */
export type {
  ActivationState as CellState,
  CheckpointStep as ScheduleStep,
  ScheduleCell as TimelineCell,
  ScheduleSimulation as TimelineSimulation,
} from '@nabla/core';

/** One configuration of the memory benchmark (`apps/bench/results/memory.json`). */
export interface MemoryConfig {
  /** How the backward pass trades compute for memory. */
  readonly strategy: 'none' | 'sqrt' | 'budget' | (string & {});
  /** Series name; configurations with the same label form one line. */
  readonly label: string;
  /** Number of layers L. */
  readonly depth: number;
  /** Peak bytes of live activations, counted exactly by the engine. */
  readonly peakActivationBytes: number;
  /** Peak memory measured from outside the engine, when the benchmark measured it. */
  readonly measuredBytes?: number;
  /** Layer forward evaluations per gradient computation. */
  readonly forwardEvaluations?: number;
  /** Wall time per training step, milliseconds. */
  readonly msPerStep?: number;
}

/** The memory benchmark results file. */
export interface MemoryResults {
  /** Free-form description of the machine; not drawn. */
  readonly machine?: Readonly<Record<string, unknown>>;
  readonly configs: readonly MemoryConfig[];
  /** Slopes fitted by the benchmark, by label; shown next to the view's own fit when present. */
  readonly slopes?: Readonly<Record<string, number>>;
}
