/**
 * Readings generated from the numbers of a run: each notebook's closing text and the README's results
 * section come from here, so they always describe the profile, seeds, verdicts and effect sizes of the
 * results they sit next to (a smoke run never shows the small profile's text).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClaimCheck, ExperimentRows } from './types';
import { claimsMarkdown, verdictWord } from './results';

/** What a reading needs: an experiment's result, or the same read back from results/<name>/. */
export interface ReadingInput {
  name: string;
  title: string;
  dataNote: string;
  profile: string;
  seeds: number[];
  summary: Record<string, unknown>;
  claims: ClaimCheck[];
  tables: Record<string, Record<string, unknown>[]>;
}

const f3 = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const pct = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(0)} %` : 'n/a');

/** One line per claim: verdict, paired difference and interval, margin, stability. */
export function claimLines(claims: ClaimCheck[]): string[] {
  return claims.map((c) => {
    const iv = c.interval;
    const num = iv ? `difference ${iv.estimate >= 0 ? '+' : ''}${iv.estimate.toFixed(3)}, 95 % interval [${iv.lo.toFixed(3)}, ${iv.hi.toFixed(3)}], margin ${c.margin}` : c.ours;
    const stab = c.stable === undefined ? '' : c.stable ? '; stable when any one seed is left out' : `; **unstable** (leave-one-seed-out: ${(c.leaveOneSeedOut ?? []).join(', ')})`;
    return `- **${verdictWord(c)}**: ${c.claim} (${num}${stab}).`;
  });
}

type Setting = { label: string; trainingK: number; steps: number[]; byStep: Record<string, { accuracy: Record<string, Record<string, number>>; ece: Record<string, Record<string, number>>; confidenceGap: Record<string, Record<string, number>>; disagreement: number }> };

function decisionTimeLines(s: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const v of Object.values(s) as Setting[]) {
    const first = v.steps[0];
    const last = v.steps[v.steps.length - 1];
    const KIs = Object.keys(v.byStep[String(first)].accuracy.majority).map(Number);
    const lo = Math.min(...KIs);
    const hi = Math.max(...KIs);
    const at = (t: number) => v.byStep[String(t)];
    out.push(
      `- ${v.label} (training K = ${v.trainingK}): majority accuracy K_I = ${lo} → ${hi} is ${f3(at(first).accuracy.majority[lo])} → ${f3(at(first).accuracy.majority[hi])} for decisions after ${first} steps and ${f3(at(last).accuracy.majority[lo])} → ${f3(at(last).accuracy.majority[hi])} after ${last}; the ${hi} compartments disagree on ${pct(at(first).disagreement)} of the recordings after ${first} steps and ${pct(at(last).disagreement)} after ${last}. ECE K_I = ${lo} → ${hi} after ${first} steps: majority ${f3(at(first).ece.majority[lo])} → ${f3(at(first).ece.majority[hi])}, mean-count ${f3(at(first).ece['mean-count'][lo])} → ${f3(at(first).ece['mean-count'][hi])}, mean-count-vote ${f3(at(first).ece['mean-count-vote'][hi])} at K_I = ${hi}; the mean-count confidence minus accuracy at K_I = ${hi} is ${f3(at(first).confidenceGap['mean-count'][hi])} (negative: under-confident).`,
    );
  }
  return out;
}

type ArmSummary = { label: string; accuracy: { mean: number; sd: number }; clampedLoglik: { mean: number }; meanEss: { mean: number }; movementPer100: Record<string, { mean: number }> };

function hiddenOnlyLines(s: Record<string, unknown>): string[] {
  const arms = s.arms as Record<string, ArmSummary>;
  const out = [`- Free-running accuracy (K_I = ${s.KI as number}, majority): ${Object.values(arms).map((a) => `${a.label} ${f3(a.accuracy.mean)} ± ${f3(a.accuracy.sd)}`).join('; ')}.`];
  const keys = Object.keys(arms).filter((k) => /^K\d+$/.test(k));
  const big = arms[keys[keys.length - 1]];
  if (big) {
    const inH = big.movementPer100['input→hidden']?.mean;
    const hO = big.movementPer100['hidden→output']?.mean;
    out.push(`- Why hidden learning is slow (${big.label}): input → hidden weights move ${inH?.toExponential(2)} per synapse per 100 examples against ${hO?.toExponential(2)} for hidden → output (${f3(hO / inH)}×); the effective sample size of the importance weights averages ${f3(big.meanEss.mean)}, so the weights stay close to uniform and the hidden signal w_k − 1/K is small.`);
  }
  const sweep = s.sweep as { label: string; accuracy: { mean: number } }[];
  if (sweep?.length) {
    const sorted = [...sweep].sort((a, b) => b.accuracy.mean - a.accuracy.mean);
    out.push(`- Bounded sweep: best ${sorted[0].label} (${f3(sorted[0].accuracy.mean)}), worst ${sorted[sorted.length - 1].label} (${f3(sorted[sorted.length - 1].accuracy.mean)}).`);
  }
  out.push('- The clamped test log-likelihood is shown for completeness only: with output → hidden synapses the hidden neurons hear the clamped label, so it does not test the hidden layer.');
  return out;
}

function baselineLines(s: Record<string, unknown>): string[] {
  const groups = s as Record<string, { loglik?: { mean: number; sd: number }; accuracy?: { mean: number; sd: number } }>;
  return Object.entries(groups)
    .filter(([, g]) => g && g.loglik && g.accuracy)
    .map(([label, g]) => `- ${label}: test log-likelihood ${g.loglik!.mean.toFixed(2)} ± ${g.loglik!.sd.toFixed(2)} nats per example, accuracy ${f3(g.accuracy!.mean)} ± ${f3(g.accuracy!.sd)}.`);
}

function hyperparameterLines(s: Record<string, unknown>): string[] {
  const configs = (s.configs ?? []) as { label: string; finalByK: Record<string, { mean: number }> }[];
  if (!configs.length) return [];
  const Ks = Object.keys(configs[0].finalByK).map(Number).sort((a, b) => a - b);
  const gap = (c: (typeof configs)[0]) => c.finalByK[Ks[Ks.length - 1]].mean - c.finalByK[Ks[0]].mean;
  const best = [...configs].sort((a, b) => gap(b) - gap(a))[0];
  const top = [...configs].sort((a, b) => b.finalByK[Ks[Ks.length - 1]].mean - a.finalByK[Ks[Ks.length - 1]].mean)[0];
  return [
    `- Largest gain of K = ${Ks[Ks.length - 1]} over K = ${Ks[0]}: ${best.label} (${gap(best).toFixed(3)} nats per step).`,
    `- Highest final log-likelihood at K = ${Ks[Ks.length - 1]}: ${top.label} (${top.finalByK[Ks[Ks.length - 1]].mean.toFixed(3)} nats per step).`,
  ];
}

function dataLines(s: Record<string, unknown>): string[] {
  const rows = (s.rows ?? []) as { stat: string; real: { mean: number }; emulated: { mean: number }; relDiff: number }[];
  if (!rows.length) return [];
  return [`- Emulated against real digit-0 recordings (relative difference of the means): ${rows.map((r) => `${r.stat} ${(100 * r.relDiff).toFixed(1)} %`).join(', ')}.`];
}

/** The closing reading of an experiment, as markdown, from its numbers. */
export function reading(r: ReadingInput | ExperimentRows): string {
  const input: ReadingInput = 'params' in r ? { name: r.name, title: r.title, dataNote: r.dataNote, profile: r.params.profile, seeds: r.params.seeds, summary: r.summary, claims: r.claims, tables: r.tables } : r;
  const lines = [`**Reading (generated from this run: profile \`${input.profile}\`, seeds ${input.seeds.join(', ')}; ${input.dataNote}).**`, ''];
  if (input.name === 'decision-time') lines.push(...decisionTimeLines(input.summary));
  if (input.name === 'hidden-only') lines.push(...hiddenOnlyLines(input.summary));
  if (input.name === 'baseline') lines.push(...baselineLines(input.summary));
  if (input.name === 'hyperparameters') lines.push(...hyperparameterLines(input.summary));
  if (input.name === 'data') lines.push(...dataLines(input.summary));
  if (input.claims.length) lines.push(...claimLines(input.claims));
  else lines.push('- This experiment checks no claim of SPEC 5.3.');
  const counts = ['holds', 'does not hold', 'inconclusive'].map((v) => `${input.claims.filter((c) => verdictWord(c) === v).length} ${v}`);
  if (input.claims.length) lines.push('', `Verdicts: ${counts.join(', ')}${input.seeds.length < 3 ? ' — with fewer than three seeds the intervals carry little information; use the `small` profile for conclusions' : ''}.`);
  return lines.join('\n');
}

/** Reads results/<name>/ back into a ReadingInput (null when the experiment has no results there). */
export function readingInputFromResults(root: string, name: string): ReadingInput | null {
  const dir = join(root, name);
  if (!existsSync(join(dir, 'summary.json')) || !existsSync(join(dir, 'config.json'))) return null;
  const sum = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  return { name, title: cfg.title ?? name, dataNote: sum.data, profile: cfg.parameters.profile, seeds: cfg.parameters.seeds, summary: sum.summary, claims: sum.claims ?? [], tables: sum.tables ?? {} };
}

export const README_RESULTS_START = '<!-- results:start (generated by gem-snn reproduce from results/; do not edit) -->';
export const README_RESULTS_END = '<!-- results:end -->';

/** The README's results section from results/ (every experiment in `names` that has results). */
export function readmeResultsSection(root: string, names: string[]): string {
  const inputs = names.map((n) => readingInputFromResults(root, n)).filter((x): x is ReadingInput => !!x);
  if (inputs.length === 0) return '(no results yet: run `npm run reproduce`)';
  const p = inputs[0];
  const claims = inputs.flatMap((i) => i.claims);
  const parts = [
    `Profile \`${p.profile}\`, seeds ${p.seeds.join(', ')}; ${p.dataNote}. Every claim below is a paired difference with its 95 % interval, judged by the rule of "How a claim is decided" (margins in the table).`,
    '',
    claimsMarkdown(claims),
  ];
  for (const i of inputs) {
    const extra = i.name === 'decision-time' ? decisionTimeLines(i.summary) : i.name === 'hidden-only' ? hiddenOnlyLines(i.summary) : [];
    if (extra.length) parts.push(`**${i.title}**`, '', ...extra, '');
  }
  return parts.join('\n');
}

/** `text` with the part between the results markers replaced by `section` (markers required). */
export function replaceResultsSection(text: string, section: string, where = 'README.md'): string {
  const a = text.indexOf(README_RESULTS_START);
  const b = text.indexOf(README_RESULTS_END);
  if (a < 0 || b < a) throw new Error(`${where}: the markers ${README_RESULTS_START} … ${README_RESULTS_END} are missing`);
  return text.slice(0, a + README_RESULTS_START.length) + '\n' + section.trim() + '\n' + text.slice(b);
}
