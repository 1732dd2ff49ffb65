import type { Output } from './io.js';

/** What one progress update shows. */
export interface ProgressState {
  readonly epoch: number;
  readonly epochs: number;
  /** Samples done in this epoch, and in all. */
  readonly done: number;
  readonly total: number;
  /** Mean training loss of the epoch so far. */
  readonly loss: number;
}

/** Defaults of `Progress`. */
const defaults = {
  /** Least time between two redraws on a terminal, in ms. */
  ttyInterval: 100,
  /** Least time between two plain lines when not on a terminal, in ms. */
  lineInterval: 10_000,
};

const now = (): number => globalThis.performance.now();

/** m:ss or h:mm:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

/**
 * A per-epoch progress bar: samples/s, running loss and ETA. On a terminal it redraws one line in
 * place (at most every 100 ms); elsewhere (a pipe, a CI log) it prints a plain line at most every
 * 10 s, so logs stay short.
 */
export class Progress {
  readonly #out: Output;
  readonly #tty: boolean;
  #epochStart = now();
  #lastDraw = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(out: Output, options: { tty?: boolean } = {}) {
    this.#out = out;
    this.#tty = options.tty ?? out.isTTY === true;
  }

  /** Call at the start of each epoch. */
  startEpoch(): void {
    this.#epochStart = now();
    this.#lastDraw = this.#tty ? Number.NEGATIVE_INFINITY : now();
  }

  update(s: ProgressState): void {
    const t = now();
    if (t - this.#lastDraw < (this.#tty ? defaults.ttyInterval : defaults.lineInterval)) return;
    this.#lastDraw = t;
    const line = this.render(s, (t - this.#epochStart) / 1000);
    if (this.#tty) {
      this.#out.write(`\r\x1b[2K${line}`);
      this.#drawn = true;
    } else {
      this.#out.write(`${line}\n`);
    }
  }

  /** The progress line for a state, `elapsed` seconds into the epoch. */
  render(s: ProgressState, elapsed: number): string {
    const rate = s.done / Math.max(elapsed, 1e-9);
    const eta = (s.total - s.done) / Math.max(rate, 1e-9);
    const frac = s.total > 0 ? s.done / s.total : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = this.#tty ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    return `epoch ${s.epoch}/${s.epochs} ${bar}${String(Math.floor(frac * 100)).padStart(3)}% ${s.done}/${s.total} | ${Math.round(rate)} samples/s | loss ${s.loss.toFixed(4)} | ETA ${formatDuration(eta)}`;
  }

  /** Clear the in-place line before other output. */
  clear(): void {
    if (this.#tty && this.#drawn) this.#out.write('\r\x1b[2K');
    this.#drawn = false;
  }
}
