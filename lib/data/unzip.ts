/**
 * Zip extraction (yauzl) into a fresh folder, refusing entries that would land outside it. Callers
 * extract into a temporary folder and rename it into place, so a failure never leaves half a dataset.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { silentProgress, type Progress } from '../util/progress';

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (err, zip) => (err ? reject(err) : resolve(zip)));
  });
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
}

/**
 * Extracts every entry of `zipFile` under `outDir` (created; must not exist). Returns the number of
 * files written. `progress` is ticked once per entry (give it the entry count: countEntries).
 */
export async function extractZip(zipFile: string, outDir: string, progress: Progress = silentProgress): Promise<number> {
  if (fs.existsSync(outDir)) throw new Error(`extractZip: ${outDir} exists; expected a new folder`);
  fs.mkdirSync(outDir, { recursive: true });
  const root = path.resolve(outDir);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(zipFile);
  } catch (e) {
    throw new Error(`extractZip: ${zipFile}: not a readable zip archive (${(e as Error).message})`, { cause: e });
  }
  let files = 0;
  await new Promise<void>((resolve, reject) => {
    const fail = (e: Error): void => { zip.close(); reject(e); };
    zip.on('error', (e: Error) => fail(new Error(`extractZip: ${zipFile}: ${e.message}`, { cause: e })));
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName.replace(/\\/g, '/');
      const target = path.resolve(root, name);
      if (path.isAbsolute(name) || (target !== root && !target.startsWith(root + path.sep))) {
        return fail(new Error(`extractZip: ${zipFile}: entry ${JSON.stringify(entry.fileName)} points outside the target folder; refused`));
      }
      if (name.endsWith('/')) {
        fs.mkdirSync(target, { recursive: true });
        progress.tick();
        return zip.readEntry();
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      entryStream(zip, entry)
        .then((s) => pipeline(s, fs.createWriteStream(target)))
        .then(() => { files++; progress.tick(); zip.readEntry(); })
        .catch((e: NodeJS.ErrnoException) => fail(e.code === 'ENOSPC'
          ? new Error(`extractZip: disk full while writing ${target}; free space and run again`, { cause: e })
          : new Error(`extractZip: ${zipFile}: entry ${entry.fileName}: ${e.message}`, { cause: e })));
    });
    zip.readEntry();
  });
  return files;
}

/** Number of entries in the central directory of `zipFile` (for a progress bar). */
export async function countEntries(zipFile: string): Promise<number> {
  const zip = await openZip(zipFile);
  const n = zip.entryCount;
  zip.close();
  return n;
}
