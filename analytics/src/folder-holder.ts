import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The process that holds embedded ClickHouse's lock on a data folder, when it is another one
 * (Linux: read from /proc/locks; elsewhere, and when nobody holds it, undefined).
 *
 * chDB takes an exclusive flock on `<folder>/status` while it has the folder open, and a second
 * process that tries is refused with an error its native code also prints to stderr. Asking first
 * lets a caller say who holds the folder, without that noise.
 */
export async function folderHolder(folder: string): Promise<number | undefined> {
  if (process.platform !== 'linux') return undefined;
  let file: { dev: number; ino: number };
  let locks: string;
  try {
    file = await stat(join(folder, 'status'));
    locks = await readFile('/proc/locks', 'utf8');
  } catch {
    return undefined;
  }
  const major = (file.dev >> 8) & 0xfff;
  const minor = (file.dev & 0xff) | ((file.dev >> 12) & 0xfff00);
  const id = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${file.ino}`;
  for (const line of locks.split('\n')) {
    // `1: FLOCK  ADVISORY  WRITE 13465 fe:00:2319716 0 EOF` (blocked waiters start with `->`).
    const fields = line.trim().split(/\s+/);
    if (fields[1] !== 'FLOCK' || fields[5] !== id) continue;
    const pid = Number(fields[4]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) return pid;
  }
  return undefined;
}
