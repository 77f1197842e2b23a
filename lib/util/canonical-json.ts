/** Canonical JSON (object keys sorted at every level) and its SHA-256, for cache keys of configurations. */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal configurations give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) out[key] = (v as Record<string, unknown>)[key];
      return out;
    }
    return v;
  });
}

/** First `n` hex digits of the SHA-256 of the canonical JSON of `value`. */
export function configHash(value: unknown, n = 16): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, n);
}
