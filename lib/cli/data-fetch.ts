/**
 * `gem-snn data fetch`: downloads, verifies and unpacks the official MNIST-DVS archives (lib/data/fetch.ts).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fetchMnistDvs, MNIST_DVS_URL_BASE } from '../data/fetch';
import { createProgress } from '../util/progress';

export const FETCH_HELP = `  gem-snn data fetch [--digits 0,1,2|all] [--root DIR] [--url-base URL] [--md5 HEX|D=HEX,...]
                     [--retries N] [--keep-archives] [--force]
      download grabbed_data<d>.zip for each digit (default 0,1,2) from --url-base (default
      ${MNIST_DVS_URL_BASE}, the dataset's page at IMSE-CNM), check its published MD5 (--md5 overrides,
      e.g. for a mirror), resume a partial download (HTTP Range; --retries extra attempts, default 2), and
      unpack it to DIR/grabbed_data<d>/ (default DIR: $MNIST_DVS_ROOT, else data/mnist-dvs), the layout
      that --set data.source=real reads; existing digits are kept unless --force`;

function parseMd5(s: string | undefined, digits: number[]): Record<number, string> | undefined {
  if (s === undefined) return undefined;
  if (!s.includes('=')) {
    if (digits.length !== 1) throw new Error(`--md5 = ${JSON.stringify(s)}: a bare checksum needs exactly one --digits; use D=HEX,D=HEX for several`);
    return { [digits[0]]: s.toLowerCase() };
  }
  const out: Record<number, string> = {};
  for (const part of s.split(',')) {
    const m = /^\s*(\d)\s*=\s*([0-9a-fA-F]{32})\s*$/.exec(part);
    if (!m) throw new Error(`--md5: ${JSON.stringify(part)}; expected D=HEX with a digit 0-9 and 32 hex digits`);
    out[Number(m[1])] = m[2].toLowerCase();
  }
  return out;
}

function parseDigitList(s: string | undefined): number[] {
  if (s === undefined) return [0, 1, 2];
  if (s === 'all') return [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const d = s.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
  if (d.length === 0 || d.some((x) => !Number.isInteger(x) || x < 0 || x > 9)) throw new Error(`--digits = ${JSON.stringify(s)}; expected digits 0-9 separated by commas, or all`);
  return [...new Set(d)];
}

/** Runs `gem-snn data fetch ...`; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: {
    digits: { type: 'string' }, root: { type: 'string' }, 'url-base': { type: 'string' }, md5: { type: 'string' },
    retries: { type: 'string' }, 'keep-archives': { type: 'boolean' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { console.log(`Usage:\n${FETCH_HELP}`); return 0; }
  const digits = parseDigitList(values.digits);
  const retries = values.retries === undefined ? 2 : Number(values.retries);
  if (!Number.isInteger(retries) || retries < 0) throw new Error(`--retries = ${JSON.stringify(values.retries)}; expected an integer >= 0`);
  const root = path.resolve(values.root ?? process.env.MNIST_DVS_ROOT ?? path.join('data', 'mnist-dvs'));
  const got = await fetchMnistDvs({
    root, digits, urlBase: values['url-base'], md5: parseMd5(values.md5, digits), retries,
    keepArchives: values['keep-archives'], force: values.force,
    progress: (label, total) => createProgress(total > 0 ? `${label} (kB)` : label, total), log: (l) => console.error(l),
  });
  const n = got.reduce((a, g) => a + g.recordings, 0);
  console.log(`${root}: digits ${got.map((g) => g.digit).join(',')}, ${n} scale4 recordings (${got.filter((g) => g.status === 'fetched').length} fetched now)`);
  console.log(`use them: npm run reproduce -- --set data.source=real --set data.root=${root}   (or MNIST_DVS_ROOT=${root})`);
  return 0;
}
