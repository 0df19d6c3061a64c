/**
 * Every dashboard page starts with Framework's front matter (`---` / `title: …` / `---`): the
 * page title and the sidebar depend on it, and a Markdown formatter once turned it into a
 * visible heading without any browser test noticing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const PAGES = join(import.meta.dirname, "..", "..", "dashboards");

describe("dashboard pages", () => {
  it("open with front matter that names the title", () => {
    const pages = readdirSync(PAGES).filter((f) => f.endsWith(".md"));
    expect(pages.length).toBeGreaterThanOrEqual(7);
    for (const f of pages) {
      const text = readFileSync(join(PAGES, f), "utf8");
      expect(text, f).toMatch(/^---\ntitle: [^\n]+\n(?:[a-z]+: [^\n]*\n)*---\n/);
      expect(text, f).not.toMatch(/^## title:/m);
    }
  });
});
