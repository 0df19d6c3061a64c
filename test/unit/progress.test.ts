import { describe, expect, it } from "vitest";
import { Progress } from "../../core/progress.ts";

function capture(mode: "terminal" | "regels" | "uit"): { p: Progress; out: () => string } {
  let s = "";
  const p = new Progress(mode, (x) => (s += x));
  return { p, out: () => s };
}

describe("progress (core/progress.ts)", () => {
  it("regels: a plain line per step with the time since the start, notes as they are, no escape codes", () => {
    const { p, out } = capture("regels");
    p.stage("inlezen en staging polis");
    p.note("  1 regel afgewezen");
    p.stage("marts naar parquet");
    p.done("klaar: /tmp/x");
    const lines = out().trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\[ +0,\d s\] inlezen en staging polis$/);
    expect(lines[1]).toBe("  1 regel afgewezen");
    expect(lines[2]).toMatch(/^\[ +0,\d s\] marts naar parquet$/);
    expect(lines[3]).toMatch(/^klaar: \/tmp\/x \[0,\d s\]$/);
    expect(out()).not.toContain("\x1b");
  });

  it("terminal: the current step rewritten in place, a line per finished step with its duration", () => {
    const { p, out } = capture("terminal");
    p.stage("a");
    p.stage("b");
    p.done("klaar");
    expect(out()).toContain("\r\x1b[K▸ a … [");
    expect(out()).toMatch(/\r\x1b\[K {2}a \(0,\d s\)\n/);
    expect(out()).toMatch(/klaar \[0,\d s\]\n$/);
  });

  it("uit: nothing", () => {
    const { p, out } = capture("uit");
    p.stage("a");
    p.note("b");
    p.done("c");
    expect(out()).toBe("");
  });
});
