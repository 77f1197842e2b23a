/**
 * One training or test example for the network: input spikes and desired output spikes over T steps.
 */
import { checkBinary, checkInt, checkLength, fail } from '../util/validate';

/**
 * Longest example in time steps. GEM-SNN keeps two T x T float64 matrices per example (16 T^2 bytes:
 * 268 MB at 4096 steps), so a longer example is refused before anything is allocated. 4096 steps hold
 * 102 s at the 25 ms bins of the paper (examples are 2 s).
 */
export const MAX_STEPS = 4096;

/** Checks a number of time steps T against [1, MAX_STEPS], with the memory rule in the message. */
export function checkSteps(where: string, name: string, T: unknown): number {
  if (typeof T !== 'number' || !Number.isInteger(T) || T < 1 || T > MAX_STEPS) {
    fail(where, name, T, `an integer in [1, ${MAX_STEPS}] (training keeps two T x T float64 matrices, 16 T^2 bytes: ${((16 * MAX_STEPS * MAX_STEPS) / 1e6).toFixed(0)} MB at T = ${MAX_STEPS})`);
  }
  return T;
}

/** An example. Spike arrays are row-major over time: entry t*n + i is neuron i at step t. */
export interface Example {
  /** Number of time steps. */
  T: number;
  /** Uint8Array [T][nIn] of 0/1 input spikes. */
  input: Uint8Array;
  /** Uint8Array [T][nO] of 0/1 desired output spikes (clamped in training, scored in tests). */
  target: Uint8Array;
  /** Class index, when the example comes from a classification data set. */
  label?: number;
}

/**
 * Targets of a classification example (SPEC 4.2): the output neuron of `label` spikes at every step,
 * the others never. Returns Uint8Array [T][nO].
 */
export function classTarget(label: number, nO: number, T: number): Uint8Array {
  checkInt('classTarget', 'label', label, 0, nO - 1);
  const y = new Uint8Array(T * nO);
  for (let t = 0; t < T; t++) y[t * nO + label] = 1;
  return y;
}

/** Builds a classification example from input spikes [T][nIn] and a label < nO. */
export function classExample(input: Uint8Array, T: number, label: number, nO: number): Example {
  return { T, input, target: classTarget(label, nO, T), label };
}

/** Checks an example against a network's sizes; throws naming the field and the expected shape. */
export function checkExample(ex: Example, nIn: number, nO: number, where = 'example'): void {
  if (!ex || typeof ex !== 'object') fail(where, 'example', ex, 'an object { T, input, target }');
  checkSteps(where, 'T', ex.T);
  checkLength(where, 'input', ex.input, ex.T * nIn, `[T=${ex.T}][nIn=${nIn}]`);
  checkLength(where, 'target', ex.target, ex.T * nO, `[T=${ex.T}][nO=${nO}]`);
  checkBinary(where, 'input', ex.input);
  checkBinary(where, 'target', ex.target);
  if (ex.label !== undefined) checkInt(where, 'label', ex.label, 0, nO - 1);
}

/**
 * Checks an example given to inference: the whole example (checkExample) when a target is needed or
 * present, else only T and a binary input of [T][nIn].
 */
export function checkInferenceExample(ex: Example, nIn: number, nO: number, where: string, needTarget: boolean): void {
  if (needTarget || (ex && ex.target !== undefined)) {
    checkExample(ex, nIn, nO, where);
    return;
  }
  if (!ex || typeof ex !== 'object') fail(where, 'example', ex, 'an object { T, input }');
  checkInt(where, 'T', ex.T, 1);
  checkLength(where, 'input', ex.input, ex.T * nIn, `[T=${ex.T}][nIn=${nIn}]`);
  checkBinary(where, 'input', ex.input);
}
