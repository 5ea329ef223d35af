// Write a file so a crash or a full disk never leaves it half-written: temp file, fsync, rename.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Replace `path` with `data` atomically (rename is atomic within one folder on every OS we ship). */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600, folderMode = 0o755): void {
  mkdirSync(dirname(path), { recursive: true, mode: folderMode });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
