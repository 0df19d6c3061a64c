/**
 * Tasks that wait for other tasks, run on a few lanes (DuckDB connections of one database) side
 * by side. A lane takes the first task in list order that has not started and whose tasks needed
 * have ended; when none is ready it waits for a running task to end. The list order must be a
 * valid order (a task needs only tasks before it), so a lane always finds work or something to
 * wait for. The first error stops the lanes from taking new tasks; it is thrown once the tasks
 * running have ended. With one lane the tasks run in list order.
 */
export async function runOnLanes<L>(
  lanes: readonly L[],
  tasks: readonly { needs: readonly number[] }[],
  perform: (lane: L, task: number) => Promise<void>,
): Promise<void> {
  tasks.forEach((t, i) => {
    for (const n of t.needs) if (!(n >= 0 && n < i)) throw new Error(`interne fout: taak ${i} wacht op taak ${n}, die niet ervoor staat`);
  });
  const done = tasks.map(() => false);
  const started = tasks.map(() => false);
  /** the first task that has not started */
  let next = 0;
  let failed: { error: unknown } | undefined;
  /** resolves when a running task ends (a lane waiting for a task it needs) */
  let wake: () => void = () => {};
  let ended = new Promise<void>((r) => (wake = r));
  const lane = async (l: L) => {
    for (;;) {
      if (failed) return;
      while (next < tasks.length && started[next]) next++;
      if (next >= tasks.length) return;
      let i = next;
      while (i < tasks.length && (started[i] || !tasks[i]!.needs.every((n) => done[n]))) i++;
      if (i >= tasks.length) {
        await ended;
        continue;
      }
      started[i] = true;
      try {
        await perform(l, i);
      } catch (error) {
        failed ??= { error };
      }
      done[i] = true;
      const w = wake;
      ended = new Promise<void>((r) => (wake = r));
      w();
    }
  };
  await Promise.all(lanes.map(lane));
  if (failed) throw failed.error;
}
