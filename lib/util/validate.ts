/**
 * Argument checks shared by the library. Each throws an Error naming the parameter, the value received
 * and what is allowed, before any work is done.
 */

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 80 ? s.slice(0, 77) + '...' : s;
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** Throws `${where}: ${name} = <value>; expected <expected>`. */
export function fail(where: string, name: string, value: unknown, expected: string): never {
  throw new Error(`${where}: ${name} = ${show(value)}; expected ${expected}`);
}

/** An integer in [min, max]. */
export function checkInt(where: string, name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(where, name, v, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`);
  }
  return v;
}

/** A finite number, optionally inside [min, max] (or [min, max) when `maxOpen`). */
export function checkNumber(
  where: string,
  name: string,
  v: unknown,
  opts: { min?: number; max?: number; maxOpen?: boolean; minOpen?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, maxOpen = false, minOpen = false } = opts;
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (minOpen ? v > min : v >= min) &&
    (maxOpen ? v < max : v <= max);
  if (!ok) {
    const lo = min === -Infinity ? '' : `${minOpen ? '(' : '['}${min}`;
    const hi = max === Infinity ? '' : `${max}${maxOpen ? ')' : ']'}`;
    const range = lo || hi ? ` in ${lo || '(-inf'}, ${hi || 'inf)'}` : '';
    fail(where, name, v, `a finite number${range}`);
  }
  return v as number;
}

/** One of the allowed string values. */
export function checkOneOf<T extends string>(where: string, name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(where, name, v, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return v as T;
}

/** A typed or plain array of exactly `length` entries. */
export function checkLength(where: string, name: string, v: ArrayLike<unknown> | undefined, length: number, shape: string): void {
  if (!v || typeof v.length !== 'number' || v.length !== length) {
    fail(where, `${name}.length`, v ? v.length : v, `${length} (shape ${shape})`);
  }
}

/** An array of spikes: every entry 0 or 1. */
export function checkBinary(where: string, name: string, v: ArrayLike<number>): void {
  if (v instanceof Uint8Array) {
    // the common case (spike arrays), on a monomorphic loop: for bytes, "not 0 or 1" is "> 1"
    for (let i = 0; i < v.length; i++) if (v[i] > 1) fail(where, `${name}[${i}]`, v[i], '0 or 1 (a spike)');
    return;
  }
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== 0 && v[i] !== 1) fail(where, `${name}[${i}]`, v[i], '0 or 1 (a spike)');
  }
}

/**
 * An options object whose keys are all in `allowed` (a misspelt key such as `hiden` is an error, not a
 * silently ignored option). `undefined` passes (callers default it).
 */
export function checkKeys(where: string, name: string, v: unknown, allowed: readonly string[]): void {
  if (v === undefined) return;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(where, name, v, `an object with keys among ${allowed.join(', ')}`);
  for (const k of Object.keys(v as object)) {
    if (!allowed.includes(k)) throw new Error(`${where}: unknown ${name} key '${k}'; expected some of ${allowed.join(', ')}`);
  }
}

/** A seed: a string or a finite number (NaN and Infinity would all seed one identical stream). */
export function checkSeed(where: string, seed: unknown): void {
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) {
    fail(where, 'seed', seed, 'a string or a finite number');
  }
}
