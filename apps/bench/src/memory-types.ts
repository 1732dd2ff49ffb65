/** Shapes shared by the memory benchmark (memory.ts) and its worker process (memory-worker.ts). */

export type StrategyName = 'none' | 'sqrt' | 'budget';

/** One configuration, passed to the worker as JSON. */
export interface WorkerConfig {
  readonly strategy: StrategyName;
  readonly label: string;
  readonly depth: number;
  readonly budget?: number;
  readonly every?: number;
  readonly width: number;
  readonly batch: number;
  /**
   * Timed full-batch steps: at least minSteps, then more while the timed total is under
   * budgetMs, at most maxSteps. The first one is also the memory measurement.
   */
  readonly minSteps: number;
  readonly maxSteps: number;
  readonly budgetMs: number;
}

/** The timing worker's configuration: one depth, every strategy, interleaved rounds. */
export interface TimingConfig {
  readonly depth: number;
  readonly width: number;
  readonly batch: number;
  readonly strategies: readonly { readonly strategy: StrategyName; readonly label: string; readonly budget?: number }[];
  /** At least minRounds rounds, then more while the timed total is under budgetMs, at most maxRounds. */
  readonly minRounds: number;
  readonly maxRounds: number;
  readonly budgetMs: number;
}

export interface TimingResult {
  readonly depth: number;
  readonly rounds: number;
  readonly strategies: readonly {
    readonly label: string;
    readonly forwardEvaluations: number;
    /** Median wall time of a step (gradients + SGD update). */
    readonly msPerStep: number;
    /** Fastest step: the estimate least disturbed by other work on the machine. */
    readonly msMinPerStep: number;
    /** Median CPU time (user + system, all threads) of a step. */
    readonly cpuMsPerStep: number;
    readonly msAll: readonly number[];
  }[];
}

/** What the worker prints. Bytes are bytes; times are milliseconds. */
export interface WorkerResult {
  readonly config: WorkerConfig;
  /** `stats` of the first full-batch step. */
  readonly stats: {
    readonly forwardEvaluations: number;
    readonly recomputations: number;
    readonly peakActivations: number;
    readonly peakActivationBytes: number;
  };
  /** Every timed step reported the same stats. */
  readonly statsStable: boolean;
  /** The same counts from `simulateSchedule` (no network). */
  readonly schedulePeakActivations: number;
  readonly schedulePeakBytes: number;
  readonly scheduleForwardEvaluations: number;
  /** arrayBuffers growth when the full-batch workspace was primed, and what dA + dB + y should take. */
  readonly workspaceBytes: number;
  readonly expectedWorkspaceBytes: number;
  readonly baseline: { readonly arrayBuffers: number; readonly rss: number; readonly maxRss: number };
  /** The peak-RSS mark was reset to the current RSS just before the baseline. */
  readonly peakReset: boolean;
  /** arrayBuffers after the first full-batch step (after gc) minus the baseline. */
  readonly measuredBytes: number;
  /** arrayBuffers at the end minus after the first step: 0 when the pool reuses its buffers. */
  readonly arrayBuffersGrowthAfterFirstStep: number;
  /** Peak RSS (resourceUsage().maxRSS) at the end minus peak RSS at the baseline. */
  readonly measuredRssBytes: number;
  /** Current RSS after the first full-batch step (after gc) minus the current RSS at the baseline. */
  readonly rssAfterFirstStepBytes: number;
  /** Median wall time of a step: gradients (_computeGradients) + SGD update. */
  readonly msPerStep: number;
  /** Median wall time of the gradient computation alone. */
  readonly msGradients: number;
  readonly msAll: readonly number[];
  /** Wall time of the tiny-batch warm-up step and of building the network. */
  readonly msWarmup: number;
  readonly msSetup: number;
  readonly loss: number;
  /** Touches the side network and GEMM scratch at the end so they stay alive through the run. */
  readonly keptAlive: number;
}

/** One row of results/memory.json (the chart in the docs reads these fields). */
export interface MemoryConfigResult {
  readonly strategy: StrategyName;
  readonly label: string;
  readonly depth: number;
  readonly budget?: number;
  readonly every?: number;
  readonly peakActivationBytes: number;
  readonly peakActivations: number;
  readonly measuredBytes: number;
  readonly measuredRssBytes: number;
  readonly forwardEvaluations: number;
  readonly msPerStep: number;
  readonly msMinPerStep: number;
  readonly cpuMsPerStep: number;
  readonly rssAfterFirstStepBytes: number;
  readonly msIsolated: number;
  readonly steps: number;
}

export interface TargetCheck {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}

export interface MemoryReport {
  readonly machine: { readonly cpu: string; readonly cores: number; readonly node: string; readonly date: string };
  readonly width: number;
  readonly batch: number;
  readonly dtype: 'float32';
  readonly configs: readonly MemoryConfigResult[];
  /** Least-squares slope of log(peakActivationBytes) against log(L), per label. */
  readonly slopes: Record<string, number>;
  /** The same slope fitted on measuredBytes (process arrayBuffers growth). */
  readonly measuredSlopes: Record<string, number>;
  readonly targets: readonly TargetCheck[];
  readonly command: string;
  /** One-minute load average of the machine when the run started and ended (it is shared). */
  readonly loadAverage: { readonly start: number; readonly end: number };
  /** The repository commit the run was made on (the core build in packages/core/dist). */
  readonly commit: string;
  readonly step: string;
  readonly measurement: string;
}
