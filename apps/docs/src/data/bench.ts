// The benchmark results, read at build time from apps/bench/results (webpack inlines the JSON).
// NOTE: site code spreads no iterable (`[...new Set(x)]`): the client bundle's Babel transform
// turns it into a one-element array, so the client rendered other tables than the server (React
// hydration error #418). Array.from is used instead.
import accuracy from '../../../bench/results/accuracy.json';
import memory from '../../../bench/results/memory.json';
import speed from '../../../bench/results/speed.json';
import sweep from '../../../bench/results/sweep.json';

export { accuracy, memory, speed, sweep };

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} B`;
}

export function formatDate(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
