/** Pieces shared by the two worker processes of the memory benchmark. */
import { writeFileSync } from 'node:fs';
import { MLP, Matrix, Random, sgd } from '@nabla/core';
import { engineOf } from '@nabla/core/internal';
import type { CheckpointStrategy } from '@nabla/core';
import type { StrategyName } from './memory-types.js';

export function strategyOf(strategy: StrategyName, budget: number | undefined): CheckpointStrategy {
  if (strategy === 'none') return 'none';
  if (strategy === 'sqrt') return 'sqrt';
  if (budget === undefined) throw new Error('memory benchmark: a budget strategy needs its budget');
  return { budget };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The benchmark network: L layers, every one `width` wide, relu, softmax + cross-entropy. */
export function buildNetwork(depth: number, width: number, batch: number) {
  const net = new MLP({ sizes: new Array<number>(depth + 1).fill(width), dtype: 'float32', seed: 7 });
  const rng = new Random(11);
  const x = new Matrix(batch, width, 'float32');
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next() * 2 - 1;
  const y = new Matrix(batch, width, 'float32');
  for (let j = 0; j < batch; j++) y.data[j * width + ((j * 37) % width)] = 1;
  const engine = engineOf(net);
  const opt = sgd({ learningRate: 1e-3 });
  return { net, engine, x, y, slots: engine.slots, opt };
}

const gc = (globalThis as { gc?: () => void }).gc;

export function collect(): void {
  if (gc === undefined) throw new Error('memory benchmark: run the worker with node --expose-gc');
  gc();
  gc();
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** gc, then let background threads (compilers, the sweeper) finish, then gc again. */
export async function settle(): Promise<void> {
  collect();
  await sleep(300);
  collect();
}

/**
 * Reset the kernel's peak-RSS mark to the current RSS (Linux: writing 5 to clear_refs), so
 * resourceUsage().maxRSS measures from here. False where that is not possible.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
