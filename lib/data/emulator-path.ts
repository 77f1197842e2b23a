/**
 * The emulator's scripted stimulus path (SPEC 4.3): where the digit's centre is on the sensor at a time,
 * for a recording's period, start phase and speed profile along the path, and the slow random variation of
 * the speed that makes the path time run ahead of or behind the clock.
 */

/**
 * The scripted path over one 1.25 s period, rows [phase s, x, y]: a "V" drawn with straight strokes at a
 * mean 16-17 px/s (EmulatorParams.speedProfile varies the speed along them), reversing sharply at its two ends. Read from the real recordings' mean event centroid
 * (`real-digit0-mean-trajectory-10ms.csv`): its apparent 100 ms dwells at the ends are an average over
 * recordings whose turns differ in time; single real recordings turn within ~20 ms (pixels on both sides of
 * the digit fire the opposite polarity 20-30 ms after the turn), so the ends here are sharp.
 */
export const PATH_KEYS: [number, number, number][] = [
  [0.0, 60.3, 61.8], [0.31, 56.3, 64.6], [0.6, 60.3, 61.9], [0.92, 65.0, 64.35], [1.25, 60.3, 61.8],
];
/** Period (s) of the keyframe table PATH_KEYS. */
export const PATH_PERIOD = 1.25;

/**
 * Maps a phase (s, in [0, PATH_PERIOD)) to the path's own phase when the digit moves at relative speeds
 * `profile` (equal slices of the period; empty = identity): the cumulative share of the speed integral.
 */
export function warpPhase(ph: number, profile: readonly number[]): number {
  const n = profile.length;
  if (n === 0) return ph;
  let total = 0;
  for (let i = 0; i < n; i++) total += profile[i];
  const slice = PATH_PERIOD / n;
  const i = Math.min(n - 1, Math.floor(ph / slice));
  let acc = 0;
  for (let j = 0; j < i; j++) acc += profile[j];
  acc += profile[i] * (ph / slice - i);
  return (acc / total) * PATH_PERIOD;
}

/** Position (sensor px) of the path at time `tS` (s) for a recording with period `periodS`. */
export function pathPosition(tS: number, periodS: number, startPhaseS: number, profile: readonly number[] = []): [number, number] {
  // Phase in the keyframe table's own period (1.25 s), so a shorter period plays the path faster.
  let ph = ((tS + startPhaseS * (periodS / PATH_PERIOD)) / periodS) * PATH_PERIOD;
  ph = warpPhase(((ph % PATH_PERIOD) + PATH_PERIOD) % PATH_PERIOD, profile);
  let i = 0;
  while (i < PATH_KEYS.length - 2 && ph >= PATH_KEYS[i + 1][0]) i++;
  const a = PATH_KEYS[i], b = PATH_KEYS[i + 1];
  const f = (ph - a[0]) / (b[0] - a[0]);
  return [a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

/**
 * Path time (s) shown at frames kStart..kEnd (frame k at k / frameHz s) when the digit's speed varies
 * slowly at random: the speed is multiplied by exp(x - sd²/2) (mean 1), x an Ornstein-Uhlenbeck process of
 * standard deviation `sd` and correlation time `tauS` (s), one step per frame, drawn with `normal` (standard
 * normal draws). With `lockS` > 0 the path time is pulled back to the clock with that time constant (s), so
 * its lead or lag stays bounded instead of drifting as a random walk. Float64Array [kEnd - kStart + 1], 0 at
 * frame 0; null when sd = 0 (path time = clock time).
 */
export function speedNoiseTimes(
  kStart: number, kEnd: number, frameHz: number, sd: number, tauS: number, lockS: number, normal: () => number,
): Float64Array | null {
  if (!(sd > 0)) return null;
  const n = kEnd - kStart + 1;
  const rho = Math.exp(-1 / (frameHz * tauS)), innov = sd * Math.sqrt(1 - rho * rho);
  const pull = lockS > 0 ? 1 - Math.exp(-1 / (frameHz * lockS)) : 0;
  const out = new Float64Array(n);
  let x = sd * normal(), lead = 0; // lead: path time minus clock time (s)
  for (let j = 1; j < n; j++) {
    x = rho * x + innov * normal();
    lead += (Math.exp(x - (sd * sd) / 2) - 1) / frameHz - pull * lead;
    out[j] = j / frameHz + lead;
  }
  const at0 = out[-kStart];
  for (let j = 0; j < n; j++) out[j] -= at0;
  return out;
}
