/**
 * Checks that a readable recording is usable as a training or test example. A file can parse cleanly
 * and still be wrong for the task: no events at all, a recording that stops long before the example
 * window ends (truncated), or a timestamp jump that leaves most of the window empty. `prepareDataset`
 * excludes such recordings and reports them by reason (or fails with `strict`).
 */
import type { AedatEvents } from './aedat';

/**
 * A recording whose last event comes before this fraction of the example window is "short". Real
 * MNIST-DVS digit-0 recordings end between 1.96 s and 2.48 s for a 2 s window (>= 0.98 of it).
 */
export const MIN_COVERAGE = 0.75;

/**
 * Largest gap between consecutive events (and before the first one), in microseconds. Real
 * recordings never pause more than 6 ms; a longer silence means a clock jump or lost data.
 */
export const MAX_GAP_US = 1_000_000;

/** Why a recording is excluded. */
export type RecordingProblem = 'no-events' | 'short' | 'timestamp-jump';

/** Every reason, in report order. */
export const RECORDING_PROBLEMS: readonly RecordingProblem[] = ['no-events', 'short', 'timestamp-jump'];

/** The rule behind each reason, for messages. */
export const PROBLEM_RULES: Record<RecordingProblem, string> = {
  'no-events': 'the recording has no events',
  short: `the last event comes before ${MIN_COVERAGE * 100} % of the example window`,
  'timestamp-jump': `two consecutive timestamps (or 0 and the first) are more than ${MAX_GAP_US / 1e6} s apart`,
};

/** The first problem of `ev` for an example window of `sampleUs` microseconds, with detail, or null if fine. */
export function recordingProblem(ev: AedatEvents, sampleUs: number): { problem: RecordingProblem; detail: string } | null {
  if (ev.length === 0) return { problem: 'no-events', detail: '0 events' };
  let prev = 0;
  for (let i = 0; i < ev.length; i++) {
    const gap = ev.tUs[i] - prev;
    if (gap > MAX_GAP_US) return { problem: 'timestamp-jump', detail: `event ${i} at ${ev.tUs[i]} us follows ${prev} us (gap ${(gap / 1e6).toFixed(2)} s)` };
    prev = ev.tUs[i];
  }
  const last = ev.tUs[ev.length - 1];
  if (last < MIN_COVERAGE * sampleUs) return { problem: 'short', detail: `last event at ${(last / 1e6).toFixed(3)} s of a ${(sampleUs / 1e6).toFixed(3)} s window` };
  return null;
}
