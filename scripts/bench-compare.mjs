#!/usr/bin/env node
// npm run bench:compare — runs `gem-snn bench` and the PyTorch peer (../shared/bench/torch_gem_snn.py)
// ALTERNATELY on the configurations of issue 5 item 3, prints per-pair training ratios and their median,
// the inference check (K_I = 20 vs training K = 20), and writes results/bench/compare.md (atomic write).
// Ours trains with --threads 2 (main thread + one worker; bit-identical to one thread), like the peer's
// 2 torch threads; inference is single-threaded.
// Usage: node scripts/bench-compare.mjs [--rounds N]   (default 3 pairs per configuration)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const peer = resolve(root, '..', 'shared', 'bench', 'torch_gem_snn.py');
const python = '/usr/bin/python3';
const argv = process.argv.slice(2);
const ri = argv.indexOf('--rounds');
const rounds = ri >= 0 ? Number(argv[ri + 1]) : 3;
// training threads of ours (the peer uses 2 torch threads)
const THREADS = 2;
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`bench-compare: --rounds = ${argv[ri + 1]}; expected an integer >= 1`);
  process.exit(2);
}

// name, shared flags, our timed examples, the peer's timed examples (the peer is slow here)
const configs = [
  { name: '1352-32-3, K=5', flags: { inputs: 1352, hidden: 32, outputs: 3, K: 5, T: 80, density: 0.059 }, ours: 20, peer: 2, target: 3 },
  { name: '1352-32-3, K=20', flags: { inputs: 1352, hidden: 32, outputs: 3, K: 20, T: 80, density: 0.059 }, ours: 10, peer: 2, target: 3 },
  // target of issue 13 (was 2× in issue 5)
  { name: '1352-256-10, K=5', flags: { inputs: 1352, hidden: 256, outputs: 10, K: 5, T: 80, density: 0.059 }, ours: 3, peer: 1, target: 4 },
];

const toArgs = (f, n) => [...Object.entries(f).flatMap(([k, v]) => [`--${k}`, String(v)]), '--examples', String(n)];

function lastJson(stdout, what) {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`${what}: no JSON line in its output:\n${stdout}`);
  return JSON.parse(line);
}

function runOurs(c) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'lib', 'cli', 'main.ts'), 'bench', ...toArgs(c.flags, c.ours), '--infer-examples', String(c.ours), '--threads', String(THREADS)], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`gem-snn bench failed (${r.status}):\n${r.stderr}`);
  return lastJson(r.stdout, 'gem-snn bench');
}

function runPeer(c) {
  const r = spawnSync(python, [peer, ...toArgs(c.flags, c.peer)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`peer failed (${r.status}):\n${r.stderr}`);
  return lastJson(r.stdout, 'peer');
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.error(`bench-compare: skipped: ${python} cannot import torch (apt-get install -y python3-torch). Ours alone: npm run bench.`);
  process.exit(0);
}
if (!existsSync(peer)) {
  console.error(`bench-compare: skipped: the peer script is not at ${peer}`);
  process.exit(0);
}
const torchVersion = probe.stdout.trim();
console.error(`bench-compare: ${rounds} alternating pairs per configuration; ours training with ${THREADS} threads, peer torch ${torchVersion} (2 threads), ${cpus().length} cpus`);

const rows = [];
const summary = [];
let infer20 = null;
let train20 = [];
for (const c of configs) {
  const ratios = [];
  for (let i = 0; i < rounds; i++) {
    // alternate which runs first, so drifts in machine load hit both sides
    let ours;
    let theirs;
    if (i % 2 === 0) {
      ours = runOurs(c);
      theirs = runPeer(c);
    } else {
      theirs = runPeer(c);
      ours = runOurs(c);
    }
    const ratio = ours.examples_per_s / theirs.examples_per_s;
    ratios.push(ratio);
    rows.push({ config: c.name, pair: i + 1, ours: ours.examples_per_s, peer: theirs.examples_per_s, ratio, infer: ours.infer_examples_per_s, rss: ours.peak_rss_mb });
    console.log(`${c.name} pair ${i + 1}: ours ${ours.examples_per_s.toFixed(3)} ex/s, peer ${theirs.examples_per_s.toFixed(3)} ex/s, ratio ${ratio.toFixed(2)}`);
    if (c.flags.K === 20 && c.flags.hidden === 32) {
      train20.push(ours.examples_per_s);
      infer20 = [...(infer20 ?? []), ours.infer_examples_per_s];
    }
  }
  const m = median(ratios);
  summary.push({ config: c.name, median: m, target: c.target, ok: m >= c.target });
  console.log(`${c.name}: median ratio ${m.toFixed(2)} (target >= ${c.target}×: ${m >= c.target ? 'met' : 'NOT met'})`);
}
const inferRatio = infer20 ? median(infer20) / median(train20) : NaN;
console.log(`inference K_I=20 vs training K=20 (1352-32-3): ${median(infer20).toFixed(2)} / ${median(train20).toFixed(2)} ex/s = ${inferRatio.toFixed(2)}× (target >= 3×: ${inferRatio >= 3 ? 'met' : 'NOT met'})`);

const date = new Date().toISOString().slice(0, 10);
const md = [
  `# Throughput: gem-snn (TypeScript) vs the PyTorch peer`,
  '',
  `Measured ${date} by \`npm run bench:compare\` (${rounds} alternating pairs per configuration), ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, peer torch ${torchVersion} (2 threads); ours trains with ${THREADS} threads (\`--threads ${THREADS}\`: main thread + one worker, results bit-identical to one thread), inference single-threaded. T = 80, density 0.059, Ka = 8, τ = 10, training examples/s.`,
  '',
  `| configuration | pair | ours, ${THREADS} threads (ex/s) | peer, 2 threads (ex/s) | ratio | ours inference K_I=20, 1 thread (ex/s) | ours peak RSS (MB) |`,
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.config} | ${r.pair} | ${r.ours.toFixed(3)} | ${r.peer.toFixed(3)} | ${r.ratio.toFixed(2)} | ${r.infer.toFixed(2)} | ${r.rss} |`),
  '',
  '| configuration | median ratio | target | met |',
  '| --- | ---: | ---: | --- |',
  ...summary.map((s) => `| ${s.config} | ${s.median.toFixed(2)} | ≥ ${s.target}× | ${s.ok ? 'yes' : 'no'} |`),
  `| inference K_I=20 / training K=20 (ours, 1352-32-3) | ${inferRatio.toFixed(2)} | ≥ 3× | ${inferRatio >= 3 ? 'yes' : 'no'} |`,
  '',
].join('\n');
const out = join(root, 'results', 'bench', 'compare.md');
mkdirSync(join(root, 'results', 'bench'), { recursive: true });
const tmp = `${out}.tmp-${process.pid}`;
writeFileSync(tmp, md);
renameSync(tmp, out);
console.log(`wrote ${out}`);
