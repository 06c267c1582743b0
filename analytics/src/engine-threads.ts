import { readFile, readdir } from 'node:fs/promises';
import { setPriority } from 'node:os';

/** Names Node, V8 and libuv give their threads (Linux keeps the first 15 bytes). */
const NODE_THREAD = /^(node|libuv|V8 |DelayedTask|SignalInspector|inspector|worker)/i;

/** True for a thread of Node itself (or one not named yet, which still has the process's name). */
export const isNodeThread = (name: string): boolean => name === process.title.slice(0, 15) || NODE_THREAD.test(name);

/**
 * Lowers the CPU priority of embedded ClickHouse's threads (Linux only; elsewhere it does nothing).
 *
 * chDB runs its inserts, merges and materialised views on threads of this process. On a small
 * machine they compete with the event loop for the same cores, and the kernel's fair share then
 * holds the event loop up for tens of milliseconds while an insert is parsed. At a higher nice
 * value they still get every idle cycle, but the event loop runs first when both want a core.
 * ClickHouse names its threads (BgSchPool, MergeMutate, ThreadPool...); Node's own threads keep
 * the process's name (Node 20) or carry names of their own in later versions (libuv-worker,
 * V8 DefaultWorker...), so they, and the main thread, are left alone. Threads the engine starts later
 * are found on the next call. Lowering one's own threads' priority needs no privilege.
 *
 * Returns the function to call after each insert; it never throws.
 */
export function engineThreadNicer(nice: number): () => Promise<void> {
  if (process.platform !== 'linux' || nice <= 0) return async () => {};
  /** Threads already given the engine's priority; Node-named ones are looked at again each pass. */
  const seen = new Set<string>();
  let running: Promise<void> | undefined;
  async function pass() {
    for (const tid of await readdir('/proc/self/task')) {
      if (seen.has(tid) || Number(tid) === process.pid) continue;
      const name = (await readFile(`/proc/self/task/${tid}/comm`, 'utf8').catch(() => 'node')).trim();
      // A thread the engine has just started may not have named itself yet: seen again next time.
      if (isNodeThread(name)) continue;
      seen.add(tid);
      try {
        setPriority(Number(tid), nice);
      } catch {
        // The thread ended, or the system refused: the engine then keeps its priority.
      }
    }
  }
  return () => {
    running ??= pass()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}
