/**
 * `fetchMnistDvs`: downloads the official MNIST-DVS archives (one `grabbed_data<d>.zip` per digit,
 * IMSE-CNM), checks each against its published MD5, and unpacks it into the layout the real-data path
 * reads (`<root>/grabbed_data<d>/scale4/mnist_<d>_scale04_<NNNN>.aedat`, see dataset.ts). Each digit is
 * extracted into a temporary folder beside the target and renamed into place when complete.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDir, replaceDir } from '../util/files';
import { type Progress, silentProgress } from '../util/progress';
import { downloadVerified } from './download';
import { countEntries, extractZip } from './unzip';

/** Where the archives are published (the dataset's page at IMSE-CNM); `--url-base` overrides it. */
export const MNIST_DVS_URL_BASE = 'http://www2.imse-cnm.csic.es/caviar/MNIST_DVS/';

/** Published MD5 of `grabbed_data<d>.zip`, index d = digit 0-9. */
export const MNIST_DVS_MD5: readonly string[] = [
  '451c1d2f6b195ce96d1dd478ee8aaf6e', '22259ae8871800b5eecf9e0eb8146ea5', '6d3ad96939b702f095d027ce89f1297c',
  'e4833915a1514598c4ae046e5e09cf93', 'e183266a0b670b5336ba4d39d4bd30ae', 'abf900993c268a763639c3074b6f92bb',
  '971db9a99e95b408837518c7727a223c', 'a3cb115f19a736f4fc3590f36012bc87', 'fe5da6c6f559abf397a32439a6c1cd3f',
  '73a3007c1c1ab4bfad9ce07ea76d540d',
];

export interface FetchOptions {
  /** Folder that receives `grabbed_data<d>/` (created if missing). */
  root: string;
  /** Digits to fetch (0-9). */
  digits: number[];
  /** URL of the folder holding the archives (default MNIST_DVS_URL_BASE). */
  urlBase?: string;
  /** MD5 per digit overriding the published one (for mirrors or test archives). */
  md5?: Record<number, string>;
  /** Keep `grabbed_data<d>.zip` in `root` after extraction (default: delete it). */
  keepArchives?: boolean;
  /** Fetch and replace a digit whose folder already exists (default: keep it). */
  force?: boolean;
  /** Extra attempts after an interrupted transfer, resumed with HTTP Range (default 2). */
  retries?: number;
  /** Progress reporter factory (label, total); default silent. */
  progress?: (label: string, total: number) => Progress;
  /** Status lines (default: none). */
  log?: (line: string) => void;
}

export interface FetchedDigit {
  digit: number;
  /** `<root>/grabbed_data<d>`. */
  folder: string;
  /** 'present': the folder existed and was kept; 'fetched': downloaded (or resumed) and extracted now. */
  status: 'present' | 'fetched';
  /** Recordings (.aedat files) under the folder's scale4/. */
  recordings: number;
  /** Bytes downloaded by this call, and bytes reused from an earlier partial download. */
  received: number;
  resumedFrom: number;
}

function countRecordings(folder: string): number {
  const s4 = path.join(folder, 'scale4');
  return fs.existsSync(s4) ? fs.readdirSync(s4).filter((f) => f.endsWith('.aedat')).length : 0;
}

/** The folder inside an extracted archive that holds `scale4/` (the archive's top folder or the root). */
function datasetFolder(extracted: string, digit: number): string {
  const named = path.join(extracted, `grabbed_data${digit}`);
  for (const c of [named, extracted]) if (fs.existsSync(path.join(c, 'scale4'))) return c;
  const dirs = fs.readdirSync(extracted, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const d of dirs) {
    const c = path.join(extracted, d.name);
    if (fs.existsSync(path.join(c, 'scale4'))) return c;
    if (fs.existsSync(path.join(c, `grabbed_data${digit}`, 'scale4'))) return path.join(c, `grabbed_data${digit}`);
  }
  throw new Error(`fetchMnistDvs: the archive for digit ${digit} has no scale4/ folder (found: ${fs.readdirSync(extracted).join(', ') || 'nothing'}); nothing was installed`);
}

function checkOptions(o: FetchOptions): void {
  if (!o.root || typeof o.root !== 'string') throw new Error(`fetchMnistDvs: root = ${JSON.stringify(o.root)}; expected a folder path`);
  if (!Array.isArray(o.digits) || o.digits.length === 0 || o.digits.some((d) => !Number.isInteger(d) || d < 0 || d > 9)) {
    throw new Error(`fetchMnistDvs: digits = ${JSON.stringify(o.digits)}; expected a non-empty list of digits 0-9`);
  }
  const base = o.urlBase ?? MNIST_DVS_URL_BASE;
  if (!/^https?:\/\//.test(base)) throw new Error(`fetchMnistDvs: urlBase = ${JSON.stringify(base)}; expected an http:// or https:// URL`);
  for (const [d, h] of Object.entries(o.md5 ?? {})) {
    if (!/^[0-9a-f]{32}$/.test(h)) throw new Error(`fetchMnistDvs: md5 for digit ${d} = ${JSON.stringify(h)}; expected 32 lowercase hex digits`);
  }
}

/** Unpacks a verified archive into `<root>/grabbed_data<d>` through a temporary folder. */
async function install(zip: string, root: string, digit: number, progress: FetchOptions['progress']): Promise<string> {
  const final = path.join(root, `grabbed_data${digit}`);
  const tmp = path.join(root, `.grabbed_data${digit}.extracting-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const bar = (progress ?? (() => silentProgress))(`extract grabbed_data${digit}.zip`, await countEntries(zip));
    await extractZip(zip, tmp, bar);
    bar.done();
    replaceDir(datasetFolder(tmp, digit), final);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return final;
}

/** Fetches the digits of `opts` one after the other (see the module comment). */
export async function fetchMnistDvs(opts: FetchOptions): Promise<FetchedDigit[]> {
  checkOptions(opts);
  const root = path.resolve(opts.root);
  const base = (opts.urlBase ?? MNIST_DVS_URL_BASE).replace(/\/?$/, '/');
  const log = opts.log ?? (() => {});
  ensureDir(root, 'MNIST-DVS root');
  const out: FetchedDigit[] = [];
  for (const digit of opts.digits) {
    const folder = path.join(root, `grabbed_data${digit}`);
    if (!opts.force && countRecordings(folder) > 0) {
      log(`digit ${digit}: ${folder} exists (${countRecordings(folder)} scale4 recordings); kept (--force replaces it)`);
      out.push({ digit, folder, status: 'present', recordings: countRecordings(folder), received: 0, resumedFrom: 0 });
      continue;
    }
    const name = `grabbed_data${digit}.zip`;
    const zip = path.join(root, name);
    const md5 = opts.md5?.[digit] ?? MNIST_DVS_MD5[digit];
    const r = await downloadVerified(base + name, zip, name, { md5, retries: opts.retries, progress: opts.progress });
    log(`digit ${digit}: ${name} ${r.size} bytes, MD5 ${md5} ok${r.resumedFrom ? ` (resumed from byte ${r.resumedFrom})` : ''}`);
    await install(zip, root, digit, opts.progress);
    if (!opts.keepArchives) fs.rmSync(zip, { force: true });
    const recordings = countRecordings(folder);
    log(`digit ${digit}: ${folder}: ${recordings} scale4 recordings`);
    out.push({ digit, folder, status: 'fetched', recordings, received: r.received, resumedFrom: r.resumedFrom });
  }
  return out;
}
