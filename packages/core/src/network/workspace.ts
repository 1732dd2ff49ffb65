import { type DType, type FloatArray, allocEngine, bytesPerElement } from '../matrix/alloc.js';

/**
 * The pool of activation buffers the backward pass works on. Buffers are kept by length and
 * reused across batches, so a training step allocates nothing once warm. The pool counts the
 * buffers and bytes that are live (acquired and not yet released) and their peak: the exact
 * activation memory that checkpointing reports.
 */
export class ActivationPool {
  readonly #free = new Map<number, FloatArray[]>();
  readonly #bytesPer: number;
  readonly dtype: DType;
  #liveCount = 0;
  #liveBytes = 0;
  #peakCount = 0;
  #peakBytes = 0;
  #allocatedBytes = 0;

  constructor(dtype: DType) {
    this.dtype = dtype;
    this.#bytesPer = bytesPerElement(dtype);
  }

  /** A buffer of exactly `length` elements (contents undefined), counted as live. */
  acquire(length: number): FloatArray {
    return this.adopt(this.borrow(length));
  }

  /**
   * A buffer of `length` elements taken out of the pool and not counted as live: a staging
   * buffer being filled for a later step, which `adopt` then counts in (or `giveBack` returns).
   */
  borrow(length: number): FloatArray {
    const buf = this.#free.get(length)?.pop();
    if (buf !== undefined) return buf;
    this.#allocatedBytes += length * this.#bytesPer;
    return allocEngine(this.dtype, length);
  }

  /** Count a borrowed buffer as live, as `acquire` would have; `release` gives it back. */
  adopt(buf: FloatArray): FloatArray {
    this.#liveCount++;
    this.#liveBytes += buf.length * this.#bytesPer;
    if (this.#liveBytes > this.#peakBytes) this.#peakBytes = this.#liveBytes;
    if (this.#liveCount > this.#peakCount) this.#peakCount = this.#liveCount;
    return buf;
  }

  /** Return a borrowed buffer unused. */
  giveBack(buf: FloatArray): void {
    this.#freeList(buf.length).push(buf);
  }

  #freeList(length: number): FloatArray[] {
    let list = this.#free.get(length);
    if (list === undefined) {
      list = [];
      this.#free.set(length, list);
    }
    return list;
  }

  /** Give a buffer back for reuse. */
  release(buf: FloatArray): void {
    this.#freeList(buf.length).push(buf);
    this.#liveCount--;
    this.#liveBytes -= buf.length * this.#bytesPer;
  }

  /** Start a new peak measurement from what is live now. */
  resetPeak(): void {
    this.#peakCount = this.#liveCount;
    this.#peakBytes = this.#liveBytes;
  }

  get liveCount(): number {
    return this.#liveCount;
  }
  get liveBytes(): number {
    return this.#liveBytes;
  }
  get peakCount(): number {
    return this.#peakCount;
  }
  get peakBytes(): number {
    return this.#peakBytes;
  }
  /** Bytes the pool has ever allocated (live and free). */
  get allocatedBytes(): number {
    return this.#allocatedBytes;
  }
}
