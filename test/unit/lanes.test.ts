/**
 * pipeline/lanes.ts: tasks that wait for other tasks, on a few lanes side by side.
 */
import { describe, expect, it } from "vitest";
import { runOnLanes } from "../../pipeline/lanes.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run tasks of the given durations (ms) and needs; returns the events in the order they happened. */
async function trace(lanes: string[], tasks: { ms: number; needs: number[] }[], fail?: number) {
  const events: string[] = [];
  const error = await runOnLanes(lanes, tasks, async (lane, i) => {
    events.push(`start ${i} ${lane}`);
    await sleep(tasks[i]!.ms);
    events.push(`end ${i}`);
    if (i === fail) throw new Error(`taak ${i} faalt`);
  }).then(
    () => null,
    (e: Error) => e.message,
  );
  return { events, error, at: (what: string) => events.findIndex((e) => e === what || e.startsWith(`${what} `)) };
}

describe("runOnLanes", () => {
  it("a task starts only after the tasks it needs have ended; independent tasks overlap", async () => {
    // 0 -> 1 -> 3 is a chain; 2 needs nothing and runs beside 0 and 1; 4 needs 2 and 3
    const tasks = [
      { ms: 40, needs: [] },
      { ms: 40, needs: [0] },
      { ms: 60, needs: [] },
      { ms: 10, needs: [1] },
      { ms: 10, needs: [2, 3] },
    ];
    const { events, error, at } = await trace(["a", "b"], tasks);
    expect(error).toBeNull();
    for (const [i, t] of tasks.entries()) for (const n of t.needs) expect(at(`start ${i}`)).toBeGreaterThan(at(`end ${n}`));
    // 2 started before 0 ended: side by side
    expect(at("start 2")).toBeLessThan(at("end 0"));
    expect(events.filter((e) => e.startsWith("start"))).toHaveLength(5);
  });

  it("one lane runs the tasks in list order", async () => {
    const { events } = await trace(
      ["a"],
      [
        { ms: 5, needs: [] },
        { ms: 5, needs: [] },
        { ms: 5, needs: [0] },
      ],
    );
    expect(events).toEqual(["start 0 a", "end 0", "start 1 a", "end 1", "start 2 a", "end 2"]);
  });

  it("a failed task stops new tasks; the error is thrown after the running task has ended", async () => {
    // 0 fails at 10 ms while 1 runs until 50 ms; 2 and 3 never start
    const { events, error } = await trace(
      ["a", "b"],
      [
        { ms: 10, needs: [] },
        { ms: 50, needs: [] },
        { ms: 5, needs: [] },
        { ms: 5, needs: [0] },
      ],
      0,
    );
    expect(error).toBe("taak 0 faalt");
    expect(events).toEqual(["start 0 a", "start 1 b", "end 0", "end 1"]);
  });

  it("a task that waits for a later task is refused before anything runs", async () => {
    const { events, error } = await trace(
      ["a", "b"],
      [
        { ms: 5, needs: [1] },
        { ms: 5, needs: [] },
      ],
    );
    expect(error).toMatch(/taak 0 wacht op taak 1, die niet ervoor staat/);
    expect(events).toEqual([]);
  });
});
