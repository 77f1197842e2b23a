/**
 * Seeded random streams. Every use of randomness in the library draws from a named stream derived
 * from the user's seed (`<seed>/<use>/<index>`), so results depend only on the seed and never on the
 * order in which compartments or experiments are processed.
 */
import seedrandom from 'seedrandom';

/** A uniform random stream: `next()` returns a float in [0, 1) (32 bits of randomness). */
export interface Rng {
  next(): number;
}

/**
 * Creates the stream named by `seed` and a path of labels, e.g. `makeRng(7, 'sample', k)`.
 * Streams with different paths are independent (Alea generator of seedrandom).
 */
export function makeRng(seed: string | number, ...path: (string | number)[]): Rng {
  const name = [String(seed), ...path.map(String)].join('/');
  const prng = seedrandom.alea(name);
  return { next: () => prng() };
}

/** `K` independent streams, one per compartment: `<seed>/<use>/0 .. K-1`. */
export function makeRngs(seed: string | number, use: string, K: number): Rng[] {
  const out: Rng[] = [];
  for (let k = 0; k < K; k++) out.push(makeRng(seed, use, k));
  return out;
}

/** Fisher-Yates shuffle of `items` in place with `rng`; returns `items`. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/** Uniform float in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}
