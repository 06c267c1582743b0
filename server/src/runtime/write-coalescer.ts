/**
 * Coalesces writes: the runs and roots marked in a tick are written once, by one `write` call, on
 * the next turn of the event loop; writes never overlap, and what is marked while one runs is
 * written right after it. `flush()` resolves once everything marked so far is written.
 */
export function createWriteCoalescer(
  write: (runs: string[], roots: string[]) => Promise<void>,
  options: { paused: () => boolean },
) {
  const dirtyRuns = new Set<string>();
  const dirtyRoots = new Set<string>();
  let scheduled = false;
  let writing: Promise<void> | undefined;

  function schedule() {
    if (scheduled || options.paused()) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  }

  async function flush(): Promise<void> {
    while (writing) await writing;
    if (dirtyRuns.size === 0 && dirtyRoots.size === 0) return;
    const runs = [...dirtyRuns];
    const roots = [...dirtyRoots];
    dirtyRuns.clear();
    dirtyRoots.clear();
    writing = write(runs, roots);
    try {
      await writing;
    } finally {
      writing = undefined;
    }
    if (dirtyRuns.size > 0 || dirtyRoots.size > 0) await flush();
  }

  return {
    /** A run's record changed. */
    run(runId: string) {
      dirtyRuns.add(runId);
      schedule();
    },
    /** A root actor's snapshot changed. */
    root(id: string) {
      dirtyRoots.add(id);
      schedule();
    },
    flush,
  };
}
