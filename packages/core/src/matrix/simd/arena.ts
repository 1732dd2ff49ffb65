/**
 * The bookkeeping of a region of the kernel's memory that engine buffers live in: first-fit
 * blocks of whole cache lines, freed blocks merged with their neighbours, the end pulled back
 * when the last block goes. Offsets and sizes are bytes from the region's start; the memory
 * itself is the shared kernel's (resident.ts owns the region).
 * @internal
 */
export class Arena {
  /** Bytes from the region's start to the end of its last block in use. */
  #end = 0;
  /** Free blocks below `#end`, sorted by offset, none adjacent to another. */
  readonly #free: { at: number; bytes: number }[] = [];
  #used = 0;

  /** `limit`: most bytes the region may span. */
  constructor(readonly limit: number) {}

  /** Bytes to the end of the last block in use: where the scratch space after the region starts. */
  get end(): number {
    return this.#end;
  }

  /** Bytes in blocks in use. */
  get used(): number {
    return this.#used;
  }

  /** The offset of a new block of at least `bytes`, or null when the region would pass its limit. */
  alloc(bytes: number): number | null {
    const size = Arena.round(bytes);
    this.#used += size;
    for (let i = 0; i < this.#free.length; i++) {
      const f = this.#free[i]!;
      if (f.bytes < size) continue;
      const at = f.at;
      if (f.bytes === size) this.#free.splice(i, 1);
      else {
        f.at += size;
        f.bytes -= size;
      }
      return at;
    }
    if (this.#end + size > this.limit) {
      this.#used -= size;
      return null;
    }
    const at = this.#end;
    this.#end += size;
    return at;
  }

  /** Give back the block at `at` that `alloc(bytes)` returned. */
  free(at: number, bytes: number): void {
    const size = Arena.round(bytes);
    this.#used -= size;
    const list = this.#free;
    let i = 0;
    while (i < list.length && list[i]!.at < at) i++;
    const before = i > 0 ? list[i - 1]! : undefined;
    const after = i < list.length ? list[i]! : undefined;
    let block = { at, bytes: size };
    if (before !== undefined && before.at + before.bytes === at) {
      before.bytes += size;
      block = before;
      i--;
    } else {
      list.splice(i, 0, block);
    }
    if (after !== undefined && block.at + block.bytes === after.at) {
      block.bytes += after.bytes;
      list.splice(i + 1, 1);
    }
    // The last block: the region ends where the one before it does.
    if (block.at + block.bytes === this.#end) {
      this.#end = block.at;
      list.splice(i, 1);
    }
  }

  /** Whole 64-byte cache lines, so no two blocks share one (two threads may write neighbours). */
  static round(bytes: number): number {
    return Math.max(64, Math.ceil(bytes / 64) * 64);
  }
}
