/** Input checks of the figure builders: each throws naming the builder, the field, the value and what was expected. */

function show(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  } catch {
    s = Object.prototype.toString.call(v);
  }
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** Throws `figures/<where>: <field> = <value>; expected <expected>`. */
export function bad(where: string, field: string, value: unknown, expected: string): never {
  throw new Error(`figures/${where}: ${field} = ${show(value)}; expected ${expected}`);
}

/** An array-like of numbers (finite unless `allowNaN`), returned as a plain number[]. */
export function numbers(where: string, field: string, v: unknown, allowNaN = false): number[] {
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) bad(where, field, v, 'an array of numbers');
  const arr = Array.from(v as ArrayLike<number>);
  for (let i = 0; i < arr.length; i++) {
    const x = arr[i];
    if (typeof x !== 'number' || (!allowNaN && !Number.isFinite(x)) || (allowNaN && !Number.isFinite(x) && !Number.isNaN(x))) {
      bad(where, `${field}[${i}]`, x, allowNaN ? 'a finite number or NaN' : 'a finite number');
    }
  }
  return arr;
}

/** A non-empty array. */
export function nonEmpty<T>(where: string, field: string, v: T[] | undefined): T[] {
  if (!Array.isArray(v) || v.length === 0) bad(where, field, v, 'a non-empty array');
  return v as T[];
}
