// The sections of the results files that issue 15 added (speed.json: peak, threads, the NumPy
// contestants; sweep.json), read loosely: an older file may lack any of them, and the page then
// says so instead of failing the build. The shapes follow apps/bench/src/speed/*.ts.
import { speed, sweep } from '../../data/bench';

/** A median with its range over the rounds. */
export interface Stat {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs?: readonly number[];
}

export interface PeakResult {
  readonly variant: string;
  readonly available: boolean;
  readonly note: string;
  readonly gflops?: Stat;
  readonly gflopsCpu?: Stat;
}

export interface Peak {
  readonly rounds: number;
  readonly method: string;
  readonly results: readonly PeakResult[];
}

export interface GemmResult {
  readonly name: string;
  readonly dtype: string;
  readonly n: number;
  readonly gflops: Stat;
}

export interface ThreadsGemm {
  readonly n: number;
  readonly gflops1: Stat;
  readonly gflops2: Stat;
  readonly speedup: Stat;
}

export interface ThreadsThreshold {
  readonly size: number;
  readonly work: number;
  readonly gflops1: Stat;
  readonly gflops2: Stat;
  readonly speedup: Stat;
}

export interface Threads {
  readonly rounds: number;
  readonly parallelMinWork?: number;
  /** Square GEMMs on a caller's arrays (copied in and out of the kernel's memory). */
  readonly gemm?: readonly ThreadsGemm[];
  /** The same on resident operands, as a network's products run (since round six). */
  readonly gemmResident?: readonly ThreadsGemm[];
  readonly threshold?: readonly ThreadsThreshold[];
  /** A step's GEMMs alone: on resident operands since round six, on a caller's arrays before. */
  readonly stepGemms?: { readonly gflops1: Stat; readonly gflops2: Stat; readonly speedup: Stat };
  /** The same GEMMs on a caller's arrays (since round six). */
  readonly stepGemmsCopied?: { readonly gflops1: Stat; readonly gflops2: Stat; readonly speedup: Stat };
  readonly training?: {
    readonly samplesPerSecond1: Stat;
    readonly samplesPerSecond2: Stat;
    readonly speedup: Stat;
    readonly loss1: number;
    readonly loss2: number;
    readonly sameLoss: boolean;
    /** The epoch's median step, µs, and 1 thread's over 2 threads' (since round seven). */
    readonly medianStepUs1?: Stat;
    readonly medianStepUs2?: Stat;
    readonly stepSpeedup?: Stat;
    /** From the call to the end of its first step, ms (the call's setup and a cold first step). */
    readonly firstStepMs1?: Stat;
    readonly firstStepMs2?: Stat;
    /** What the other steps took beyond the median, summed, ms (the slow tail). */
    readonly tailMs1?: Stat;
    readonly tailMs2?: Stat;
  };
  readonly stepFraction?: readonly {
    readonly threads: number;
    readonly stepGflops: number;
    readonly gemmGflops: number;
    readonly fraction: number;
    /** The same for the epoch's median step alone (since round eight). */
    readonly medianStepFraction?: number;
  }[];
  /** Copying one buffer out of shared memory after this core or the other wrote it (GB/s). */
  readonly crossCore?: { readonly bytes: number; readonly sameCore: Stat; readonly crossCore: Stat; readonly slowdown: Stat };
}

export interface TrainingResult {
  readonly name: string;
  readonly config: string;
  readonly samplesPerSecond: Stat;
  readonly samplesPerCpuSecond?: Stat;
  readonly loss?: Stat;
}

export interface SpeedFile {
  readonly nablaSimdVariant?: string;
  readonly workloads?: { readonly training?: { readonly layers: readonly number[]; readonly batch: number } };
  readonly peak?: Peak;
  readonly gemm?: { readonly sizes: readonly number[]; readonly rounds?: number; readonly results: readonly GemmResult[] };
  readonly threads?: Threads;
  readonly training?: { readonly rounds?: number; readonly results: readonly TrainingResult[] };
  readonly ratios?: Readonly<Record<string, number>>;
}

/** One contestant at one point of a sweep (apps/bench/src/speed/sweep.ts, SweepRow). */
export interface SweepRow {
  readonly axis: string;
  readonly value: number;
  readonly sizes: readonly number[];
  readonly batch: number;
  readonly contestant: string;
  readonly train: Stat;
  readonly infer: Stat;
  readonly trainGflops: number;
  readonly inferGflops: number;
}

export interface SweepFile {
  readonly date?: string;
  readonly command?: string;
  readonly kernel?: string;
  readonly rounds?: number;
  readonly machine?: { readonly cpu: string; readonly cores: number; readonly node: string; readonly platform: string };
  readonly results?: readonly SweepRow[];
}

export const speedFile = speed as unknown as SpeedFile;
export const sweepFile = sweep as unknown as SweepFile;

/** The names in the order they first appear (Array.from, not a spread: see data/bench.ts). */
export function distinct<T>(items: readonly T[]): T[] {
  return Array.from(new Set(items));
}
