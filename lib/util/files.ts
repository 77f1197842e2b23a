/**
 * File-system helpers shared by every layer that writes: folder creation with clear errors (no hang
 * under /proc, "read-only" said as such), atomic file writes, and an exclusive lock file with
 * stale-lock detection by process id.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Virtual file systems where `mkdir -p` loops or lies (node's recursive mkdir hangs under /proc). */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/**
 * Creates folder `dir` and its parents (like mkdir -p), one level at a time so every failure names the
 * folder and the reason: a virtual file system, a read-only one, no permission, or a file in the way.
 */
export function ensureDir(dir: string, what = 'folder'): void {
  const abs = path.resolve(dir);
  for (const v of VIRTUAL_ROOTS) {
    if (abs === v || abs.startsWith(v + path.sep)) throw new Error(`${what} ${abs}: under ${v}, a virtual file system where files cannot be written; choose a folder on disk`);
  }
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(cur);
    } catch {
      st = undefined;
    }
    if (st) {
      if (!st.isDirectory()) throw new Error(`${what} ${abs}: ${cur} is a file, not a folder`);
      break;
    }
    missing.unshift(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue; // made by a concurrent process
      throw new Error(`${what} ${abs}: cannot create ${d}: ${explainFsError(code, path.dirname(d))}`);
    }
  }
}

/** A short, true description of an errno code for a write into `where`. */
export function explainFsError(code: string | undefined, where: string): string {
  if (code === 'EROFS') return `${where} is on a read-only file system`;
  if (code === 'EACCES' || code === 'EPERM') return `no permission to write in ${where}`;
  if (code === 'ENOSPC') return `no space left on the device of ${where}`;
  if (code === 'EDQUOT') return `disk quota exceeded in ${where}`;
  if (code === 'ENOENT') return `${where} does not accept new entries (a virtual or read-only file system?)`;
  return `error ${code ?? 'unknown'} in ${where}`;
}

/**
 * Writes `data` to `file` atomically: `<file>.tmp-<pid>` then a rename, so readers never see half a file.
 * Creates the parent folder; an error names the file and the reason.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  ensureDir(path.dirname(file), 'folder of');
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code && ['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT'].includes(code)) throw new Error(`cannot write ${file}: ${explainFsError(code, path.dirname(file))}`);
    throw e;
  }
}

/** True if a process with this id runs on this machine (signal 0 probes without sending). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Options of withLock. */
export interface LockOptions {
  /** Called once if the lock is busy, with the holder's pid (e.g. to say "waiting for ..."). */
  onWait?: (holderPid: number) => void;
  /** Give up after this many ms (default: wait as long as the holder lives). */
  timeoutMs?: number;
  /** Poll interval in ms (default 200). */
  pollMs?: number;
}

function readHolder(lockFile: string): number {
  try {
    return Number(fs.readFileSync(lockFile, 'utf8').split('\n')[0]);
  } catch {
    return NaN;
  }
}

/** Tries once to take `lockFile` (O_EXCL); removes it first if its holder died. Returns the holder pid on failure. */
function tryLock(lockFile: string): { ok: true } | { ok: false; holder: number } {
  try {
    const fd = fs.openSync(lockFile, 'wx');
    fs.writeSync(fd, `${process.pid}\n${os.hostname()}\n`);
    fs.closeSync(fd);
    return { ok: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create lock ${lockFile}: ${explainFsError((e as NodeJS.ErrnoException).code, path.dirname(lockFile))}`);
  }
  const holder = readHolder(lockFile);
  // An empty file is a lock being written this instant: busy, not stale.
  if (Number.isNaN(holder) || processAlive(holder)) return { ok: false, holder };
  // Stale: move it aside under a unique name first, so two cleaners never delete a fresh lock.
  const aside = `${lockFile}.stale-${process.pid}`;
  try {
    fs.renameSync(lockFile, aside);
    const moved = readHolder(aside);
    if (moved === holder) fs.rmSync(aside, { force: true });
    else fs.renameSync(aside, lockFile);
  } catch {
    /* someone else cleaned it */
  }
  return { ok: false, holder };
}

/**
 * Runs `fn` while holding the exclusive lock file `lockFile` (created with O_EXCL, holding our pid; a
 * lock whose process died is taken over). Waits while another live process holds it.
 */
export async function withLock<T>(lockFile: string, fn: () => T | Promise<T>, opts: LockOptions = {}): Promise<T> {
  ensureDir(path.dirname(lockFile), 'folder of lock');
  const t0 = Date.now();
  let told = false;
  for (;;) {
    const r = tryLock(lockFile);
    if (r.ok) break;
    if (!told && opts.onWait && Number.isFinite(r.holder)) {
      opts.onWait(r.holder);
      told = true;
    }
    if (opts.timeoutMs !== undefined && Date.now() - t0 > opts.timeoutMs) throw new Error(`${lockFile}: still held by process ${r.holder} after ${opts.timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, opts.pollMs ?? 200));
  }
  try {
    return await fn();
  } finally {
    if (readHolder(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
  }
}

/**
 * Replaces folder `dir` by the complete folder `tmp` without a moment where `dir` is half-written:
 * an old `dir` is renamed aside first, then `tmp` renamed into place, then the old one deleted.
 */
export function replaceDir(tmp: string, dir: string): void {
  const old = `${dir}.old-${process.pid}`;
  let moved = false;
  try {
    fs.renameSync(dir, old);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.renameSync(tmp, dir);
  if (moved) fs.rmSync(old, { recursive: true, force: true });
}

/** Writes `value` as JSON indented by one space, with a trailing newline, atomically. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 1) + '\n');
}
