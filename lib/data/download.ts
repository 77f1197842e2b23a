/**
 * Resumable HTTP(S) download with an MD5 check: bytes go to `<dest>.part`; a later call continues from
 * its size with an HTTP Range request; only a file whose MD5 matches is renamed to `dest`. Errors say
 * what went wrong in words a user can act on (no network, HTTP status, interrupted, checksum, disk full).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { silentProgress, type Progress } from '../util/progress';

export interface DownloadOptions {
  /** Expected MD5 of the whole file, lowercase hex (32 digits). */
  md5: string;
  /** Progress reporter factory, given the label and the total size in kB (default: none). */
  progress?: (label: string, totalKb: number) => Progress;
  /** Extra attempts after an interrupted transfer, each resuming where the last stopped (default 2). */
  retries?: number;
  /** Idle time without a byte before giving up on a connection, ms (default 60,000). */
  idleTimeoutMs?: number;
}

export interface DownloadResult {
  /** Bytes received by this call (the rest came from an earlier partial download). */
  received: number;
  /** Bytes that were already in `<dest>.part` when this call started (0 = fresh download). */
  resumedFrom: number;
  /** Size of the verified file, bytes. */
  size: number;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

/** MD5 of a file (lowercase hex), streamed. */
export async function md5File(file: string): Promise<string> {
  const h = createHash('md5');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** An error a person can act on for a failed request to `url` (network, disk). */
function explain(url: string, e: NodeJS.ErrnoException, part: string): Error {
  if (e.code === 'ENOSPC') return new Error(`download: disk full while writing ${part}; free space and run again (the partial file is kept and resumed)`, { cause: e });
  if (e.code && NETWORK_CODES.has(e.code)) {
    return new Error(`download: cannot reach ${new URL(url).host} for ${url} (${e.code}): no network or the server is down; run again later (a partial file is resumed), or pass another --url-base`, { cause: e });
  }
  return e;
}

interface Attempt {
  status: 'complete' | 'interrupted';
  received: number;
}

function get(url: string, headers: Record<string, string>, idleMs: number, redirects = 5): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : url.startsWith('http:') ? http : null;
    if (!mod) return reject(new Error(`download: url = ${url}; expected http:// or https://`));
    const req = mod.get(url, { headers }, (res) => {
      const loc = res.headers.location;
      if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && loc) {
        res.resume();
        if (redirects === 0) return reject(new Error(`download: too many redirects from ${url}`));
        return resolve(get(new URL(loc, url).toString(), headers, idleMs, redirects - 1));
      }
      resolve(res);
    });
    req.setTimeout(idleMs, () => req.destroy(Object.assign(new Error(`no data for ${idleMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
  });
}

/** One request: continues `part` from its size; resolves when the body ended or the connection dropped. */
async function attempt(url: string, part: string, label: string, opts: DownloadOptions): Promise<Attempt> {
  const have = fs.existsSync(part) ? fs.statSync(part).size : 0;
  const res = await get(url, have > 0 ? { Range: `bytes=${have}-` } : {}, opts.idleTimeoutMs ?? 60_000);
  if (res.statusCode === 416 && have > 0) {
    res.resume();
    return { status: 'complete', received: 0 }; // the partial file already holds every byte
  }
  if (res.statusCode !== 200 && res.statusCode !== 206) {
    res.resume();
    throw new Error(`download: ${url}: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim());
  }
  const append = res.statusCode === 206 && have > 0;
  const start = append ? have : 0; // a 200 answer to a Range request restarts from zero
  const length = Number(res.headers['content-length'] ?? NaN);
  const total = Number.isFinite(length) ? start + length : NaN;
  const bar = (opts.progress ?? (() => silentProgress))(label, Number.isFinite(total) ? Math.ceil(total / 1024) : 0);
  if (start > 0) bar.tick(Math.floor(start / 1024));
  const out = fs.createWriteStream(part, { flags: append ? 'a' : 'w' });
  let received = 0;
  let shownKb = Math.floor(start / 1024);
  return new Promise<Attempt>((resolve, reject) => {
    let settled = false;
    const finish = (r: Attempt | Error): void => {
      if (settled) return;
      settled = true;
      bar.done();
      if (r instanceof Error) { out.destroy(); reject(r); return; }
      out.end((e?: Error | null) => (e ? reject(explain(url, e as NodeJS.ErrnoException, part)) : resolve(r)));
    };
    // A write error (disk full) wins over the 'aborted' that destroying the response then emits.
    out.on('error', (e) => { finish(explain(url, e, part)); res.destroy(); });
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (!out.write(chunk)) { res.pause(); out.once('drain', () => res.resume()); }
      const kb = Math.floor((start + received) / 1024);
      if (kb > shownKb) { bar.tick(kb - shownKb); shownKb = kb; }
    });
    res.on('end', () => finish({ status: Number.isFinite(total) && start + received < total ? 'interrupted' : 'complete', received }));
    res.on('aborted', () => finish({ status: 'interrupted', received }));
    res.on('error', () => finish({ status: 'interrupted', received }));
  });
}

/**
 * Downloads `url` to `dest` (see the module comment); resolves once `dest` holds a file with MD5
 * `opts.md5`. An existing `dest` with that MD5 is kept without a request. On a checksum mismatch the
 * bad file is deleted and the error gives both checksums; on an interrupted transfer `<dest>.part`
 * is kept so that the next call resumes it.
 */
export async function downloadVerified(url: string, dest: string, label: string, opts: DownloadOptions): Promise<DownloadResult> {
  if (!/^[0-9a-f]{32}$/.test(opts.md5)) throw new Error(`download: md5 = ${JSON.stringify(opts.md5)}; expected 32 lowercase hex digits`);
  if (fs.existsSync(dest) && (await md5File(dest)) === opts.md5) return { received: 0, resumedFrom: 0, size: fs.statSync(dest).size };
  const part = `${dest}.part`;
  const resumedFrom = fs.existsSync(part) ? fs.statSync(part).size : 0;
  let received = 0;
  const retries = opts.retries ?? 2;
  for (let i = 0; ; i++) {
    let a: Attempt;
    try {
      a = await attempt(url, part, label, opts);
    } catch (e) {
      throw explain(url, e as NodeJS.ErrnoException, part);
    }
    received += a.received;
    if (a.status === 'complete') break;
    const size = fs.existsSync(part) ? fs.statSync(part).size : 0;
    if (i >= retries) {
      throw new Error(`download: ${url}: connection dropped after ${size} bytes (${i + 1} attempt${i ? 's' : ''}); run the same command again to resume from ${part}`);
    }
  }
  const got = await md5File(part);
  if (got !== opts.md5) {
    const size = fs.statSync(part).size;
    fs.rmSync(part, { force: true });
    throw new Error(`download: ${url}: checksum mismatch: MD5 ${got} of ${size} bytes, expected ${opts.md5}; the file was deleted and nothing was extracted (a corrupted archive, or the wrong --url-base / --md5)`);
  }
  fs.renameSync(part, dest);
  return { received, resumedFrom, size: fs.statSync(dest).size };
}
