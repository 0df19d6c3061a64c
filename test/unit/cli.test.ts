// The CLI's pieces in process: commander's messages in Dutch, `serve` as a plain static server,
// and `analyse --config` refusing parameters that need `run`. The CLI as a separate process:
// test/e2e/cli-process.test.ts.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { usageError } from "../../cli/index.ts";
import { parsePort, startServer } from "../../cli/commands/serve.ts";
import { withRunPipelineParameters } from "../../cli/commands/analyse.ts";
import { DEFAULTS } from "../../pipeline/config.ts";
import { UserError } from "../../core/errors.ts";
import { tempDir } from "../helpers/temp.ts";

describe("baanmonitor CLI", () => {
  it("translates commander's messages into Dutch", () => {
    expect(usageError("error: unknown option '--ot' (Did you mean --out?)", "analyse")).toMatch(
      /^baanmonitor analyse: onbekende optie --ot \(bedoelt u --out\?\); bijvoorbeeld:/,
    );
    expect(usageError("error: option '--scale <x>' argument missing", "generate")).toMatch(/--scale heeft een waarde nodig/);
    expect(usageError("error: unknown command 'serv'")).toMatch(/^baanmonitor: onbekende opdracht serv/);
  });
});

describe("baanmonitor serve", () => {
  it("serves files as named, without rewrites: /x is a 404 where /x.html exists", async () => {
    const dir = tempDir("bm-serve-");
    try {
      writeFileSync(join(dir, "index.html"), "<p>start</p>");
      writeFileSync(join(dir, "baaneindes.html"), "<p>baaneindes</p>");
      mkdirSync(join(dir, "_file"));
      writeFileSync(join(dir, "_file", "a.json"), "{}");
      const s = await startServer(dir, 0);
      try {
        expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        const get = (p: string) => fetch(new URL(p, s.url));
        expect(await (await get("/")).text()).toBe("<p>start</p>");
        const page = await get("/baaneindes.html");
        expect(page.status).toBe(200);
        expect(page.headers.get("content-type")).toMatch(/text\/html/);
        expect((await get("/baaneindes")).status).toBe(404);
        expect((await get("/_file/a.json")).headers.get("content-type")).toBe("application/json");
        expect((await get("/%2e%2e/%2e%2e/etc/passwd")).status).toBeGreaterThanOrEqual(403);
      } finally {
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a bad port", () => {
    expect(() => parsePort("80a")).toThrow(UserError);
  });
});

describe("analyse --config", () => {
  it("refuses a parameter that shapes the marts, naming it and `run`; keeps the run's values for the others", () => {
    const dir = tempDir("bm-cfg-");
    try {
      const ran = structuredClone(DEFAULTS);
      ran.d1.samenvoegGatDagen = 45;
      const mart = join(dir, "mart.json");
      writeFileSync(mart, JSON.stringify({ parameters: { d1: { maandenZonderLoon: 4 } } }));
      expect(() => withRunPipelineParameters(ran, structuredClone(DEFAULTS), mart)).toThrow(
        /d1\.maandenZonderLoon = 4 \(de run gebruikte 3\).*baanmonitor run /,
      );
      // analysis-only parameters pass; the marts' parameters stay those of the run, not the defaults
      const ok = join(dir, "ok.json");
      writeFileSync(ok, JSON.stringify({ parameters: { disclosure: { minAantal: 15 } } }));
      const asked = structuredClone(DEFAULTS);
      asked.disclosure.minAantal = 15;
      const p = withRunPipelineParameters(ran, asked, ok);
      expect(p.d1.samenvoegGatDagen).toBe(45);
      expect(p.disclosure.minAantal).toBe(15);
      // the same value as the run is not a change
      writeFileSync(mart, JSON.stringify({ parameters: { d1: { maandenZonderLoon: 3 } } }));
      expect(() => withRunPipelineParameters(ran, structuredClone(DEFAULTS), mart)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
