/** The scheduler that runs analyses side by side (analyses/lib/in-turns.ts) and the start order. */
import { describe, expect, it } from "vitest";
import { inTurns } from "../../analyses/lib/in-turns.ts";
import { startOrder } from "../../analyses/run-analyses.ts";
import { ANALYSES, START_FIRST } from "../../analyses/registry.ts";

class FakeConn {
  closed = false;
  constructor(readonly name: string) {}
  closeSync(): void {
    this.closed = true;
  }
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("inTurns", () => {
  it("runs every job once, in order as workers free up, at most two at a time, and closes the extra connection", async () => {
    const main = new FakeConn("main");
    const extras: FakeConn[] = [];
    const connect = async () => {
      const c = new FakeConn(`extra${extras.length}`);
      extras.push(c);
      return c;
    };
    const started: number[] = [];
    const ran: [number, string][] = [];
    let running = 0;
    let most = 0;
    await inTurns([3, 0, 2, 1, 4], main, connect, async (i, c) => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await tick(i === 3 ? 30 : 5);
      ran.push([i, c.name]);
      running--;
    });
    expect(started).toEqual([3, 0, 2, 1, 4]);
    expect(most).toBe(2);
    expect(extras.map((c) => c.closed)).toEqual([true]);
    expect(main.closed).toBe(false); // the caller's connection stays open
    // the long job 3 holds one worker; the other worker takes the rest
    expect(ran.filter(([i]) => i !== 3).every(([, n]) => n !== ran.find(([i]) => i === 3)![1])).toBe(true);
  });

  it("without a way to connect, runs the jobs one after the other on the one connection", async () => {
    const main = new FakeConn("main");
    const seen: string[] = [];
    let running = 0;
    await inTurns([0, 1, 2], main, undefined, async (i, c) => {
      expect(++running).toBe(1);
      await tick(2);
      seen.push(`${i}:${c.name}`);
      running--;
    });
    expect(seen).toEqual(["0:main", "1:main", "2:main"]);
  });

  it("after a failure starts nothing new, lets the running job finish, closes its connections and throws the first failure", async () => {
    const main = new FakeConn("main");
    let extra: FakeConn | undefined;
    const started: number[] = [];
    const finished: number[] = [];
    const err = await inTurns(
      [0, 1, 2, 3, 4],
      main,
      async () => (extra = new FakeConn("extra")),
      async (i) => {
        started.push(i);
        if (i === 0) {
          await tick(1);
          throw new Error("analyse 0 faalt");
        }
        if (i === 1) await tick(20);
        if (i === 1) throw new Error("later failure");
        finished.push(i);
      },
    ).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toBe("analyse 0 faalt");
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([]);
    expect(extra?.closed).toBe(true);
  });
});

describe("startOrder", () => {
  it("names every analysis exactly once, START_FIRST first", () => {
    const order = startOrder();
    expect([...order].sort((a, b) => a - b)).toEqual(ANALYSES.map((_, i) => i));
    expect(order.slice(0, START_FIRST.length).map((i) => ANALYSES[i]!.id)).toEqual([...START_FIRST]);
  });
});
