/**
 * Size limits checked before anything is allocated, and bounded excerpts of values for error
 * messages, so that a hostile input can neither exhaust memory nor blow up a message.
 */

/** Most parameters (weights and biases) a network may have: 2^28, 1 GiB as float32 (2 GiB with gradients). */
export const MAX_PARAMETERS = 2 ** 28;

/** Widest layer a network may have: 2^24 units. */
export const MAX_LAYER_WIDTH = 2 ** 24;

/** Deepest nesting of arrays and objects a model document may have (a valid one has 5). */
export const MAX_JSON_DEPTH = 64;

/** Longest excerpt of a value quoted in an error message, in characters. */
export const MAX_EXCERPT = 80;

/**
 * A short, bounded description of any value for an error message: strings quoted and cut to
 * `max` characters (with their full length), arrays and objects shown to a shallow depth. Never
 * throws, never recurses deeper than three levels, never copies more than about `max` characters.
 */
export function excerpt(value: unknown, max = MAX_EXCERPT): string {
  const text = describeShallow(value, 3, max);
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

function describeShallow(value: unknown, depth: number, budget: number): string {
  if (typeof value === 'string') {
    const cut = value.length > budget ? `${JSON.stringify(value.slice(0, budget))}... (${value.length} characters)` : JSON.stringify(value);
    return cut;
  }
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'undefined' || typeof value === 'bigint') return String(value);
  if (typeof value === 'symbol') return value.description !== undefined ? `Symbol(${value.description.slice(0, budget)})` : 'Symbol()';
  if (typeof value === 'function') return 'a function';
  if (depth === 0) return Array.isArray(value) ? '[...]' : '{...}';
  try {
    if (Array.isArray(value)) {
      const parts: string[] = [];
      let used = 2;
      for (let i = 0; i < value.length && used < budget; i++) {
        const p = describeShallow(value[i], depth - 1, budget - used);
        parts.push(p);
        used += p.length + 2;
      }
      const more = parts.length < value.length ? `, ... (${value.length} in all)` : '';
      return `[${parts.join(', ')}${more}]`;
    }
    if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of ${value.byteLength} bytes`;
    const parts: string[] = [];
    let used = 2;
    let count = 0;
    for (const key in value as object) {
      if (used >= budget) {
        parts.push('...');
        break;
      }
      const k = key.length > 20 ? `${key.slice(0, 20)}...` : key;
      const p = `${k}: ${describeShallow((value as Record<string, unknown>)[key], depth - 1, budget - used)}`;
      parts.push(p);
      used += p.length + 2;
      count++;
    }
    return count === 0 && parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  } catch {
    return Array.isArray(value) ? 'an array' : 'an object';
  }
}

/**
 * The nesting depth of arrays and objects in `value`, walked with an explicit stack (no
 * recursion), stopping as soon as it exceeds `limit`; returns the path that goes too deep, or
 * undefined when the value is within the limit.
 */
export function tooDeep(value: unknown, limit = MAX_JSON_DEPTH): string | undefined {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limit) return path;
    if (Array.isArray(v)) {
      // Numbers need no visit: only push nested containers.
      for (let i = 0; i < v.length; i++) {
        const e = v[i];
        if (typeof e === 'object' && e !== null) stack.push({ v: e, depth: depth + 1, path: path.length < 200 ? `${path}[${i}]` : path });
      }
    } else {
      for (const key in v as object) {
        const e = (v as Record<string, unknown>)[key];
        if (typeof e === 'object' && e !== null) stack.push({ v: e, depth: depth + 1, path: path.length < 200 ? `${path}.${key.slice(0, 20)}` : path });
      }
    }
  }
  return undefined;
}

/** Human-readable byte count: 17179869184 -> '17.2 GB'. */
export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = bytes;
  let u = -1;
  while (v >= 1e3 && u < units.length - 1) {
    v /= 1e3;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/**
 * Like `String(value)` for a message, but bounded and never throwing: strings unquoted and cut to
 * `max` characters, everything else as `excerpt` shows it.
 */
export function brief(value: unknown, max = MAX_EXCERPT): string {
  if (typeof value === 'string') return value.length > max ? `${value.slice(0, max)}... (${value.length} characters)` : value;
  return excerpt(value, max);
}
