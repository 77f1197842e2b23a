/** Atomic file writes for figure outputs: write `<path>.tmp-<pid>` then rename, so readers never see half a file. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `data` to `file` atomically, creating the parent folder. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
