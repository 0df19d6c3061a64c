// End-to-end browser tests of the built dashboard: every page, on a phone (390 px) and a laptop
// (1280 px), loads without console errors or failed/external requests, charts render marks with
// readable text and tick labels that do not overlap, wide tables scroll inside their box with a
// cue, the page itself never scrolls sideways; toggles change the chart, CSV downloads work.
// Metrics (build time, page weight, time to first chart) go to test/artifacts/, and with
// BAANMONITOR_SCREENSHOTS=1 a full-page screenshot of every page at both widths (for looking at
// the pages; off by default: encoding them was the costliest step of a page's test).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page, Request } from "playwright-core";
import { ARTIFACTS, FROM, launch, OFFLINE, PAGES, serve, sharedSite, WIDTHS, type Browser } from "./harness.ts";
import { layoutProblems } from "./layout.ts";

let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
const SCREENSHOTS = process.env.BAANMONITOR_SCREENSHOTS === "1";
const metrics: Record<string, unknown> = { from: FROM, paginas: {} as Record<string, unknown> };

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // the run's one build (test/setup/site-build.ts), in dist-test/
  const site = await sharedSite();
  metrics.bouwtijd_s = site.seconds;
  metrics.bouw_zonder_netwerk = OFFLINE;
  server = await serve(site.dir);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  writeFileSync(join(ARTIFACTS, "metrics.json"), JSON.stringify(metrics, null, 2) + "\n");
});

async function open(path: string, width = 1280) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const errors: string[] = [];
  const failed: string[] = [];
  // errors, and warnings (Plot reports misread data as console warnings)
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("requestfailed", (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`));
  page.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} (${r.status()})`);
  });
  const inFlight = new Set<Request>();
  page.on("request", (r) => inFlight.add(r));
  page.on("requestfinished", (r) => inFlight.delete(r));
  page.on("requestfailed", (r) => inFlight.delete(r));
  await page.addInitScript(() => {
    const w = window as unknown as { bmLaatsteWijziging: number };
    w.bmLaatsteWijziging = performance.now();
    new MutationObserver(() => {
      w.bmLaatsteWijziging = performance.now();
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const t0 = Date.now();
  await page.goto(server.url + path, { waitUntil: "load" });
  // attached, not visible: the first mark of a chart may be a tick (a line without height)
  await page.waitForSelector(".bm-figuur svg :is(path, rect), .bm-figuur table", { state: "attached", timeout: 30_000 });
  const firstChartMs = Date.now() - t0;
  await settled(page, inFlight);
  return { page, errors, failed, firstChartMs };
}

/** how long the page must be without requests in flight and without any change to its DOM */
const QUIET_MS = 250;

/**
 * Waits until the page has settled: fonts loaded, no request in flight, every cell of the page
 * computed (Framework shows a pending cell as an <observablehq-loading> element), and no change
 * to the DOM for QUIET_MS (the charts drawn, and drawn again at their measured width). This replaced
 * Playwright's "networkidle" (500 ms without requests) followed by a fixed 300 ms pause, which
 * cost about 0.8 s per page whether the page was still drawing or long done.
 */
async function settled(page: Page, inFlight: ReadonlySet<Request>): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const t0 = Date.now();
  for (;;) {
    const { quiet, pending } = await page.evaluate(() => ({
      quiet: performance.now() - (window as unknown as { bmLaatsteWijziging: number }).bmLaatsteWijziging,
      pending: document.querySelectorAll("observablehq-loading").length,
    }));
    if (inFlight.size === 0 && pending === 0 && quiet >= QUIET_MS) return;
    if (Date.now() - t0 > 30_000)
      throw new Error(`de pagina komt na 30 s niet tot rust (${inFlight.size} verzoeken open, ${pending} cellen nog niet klaar)`);
    await new Promise((ok) => setTimeout(ok, Math.max(25, QUIET_MS - quiet)));
  }
}

/** marks (path/rect/circle/line) in every chart svg of the page, per figure */
async function marksPerFigure(page: Page) {
  return page.$$eval(".bm-figuur", (figs) =>
    figs.map((f) => ({
      id: f.getAttribute("data-figuur"),
      leeg: f.hasAttribute("data-leeg"),
      svg: f.querySelectorAll(".bm-figuur__grafiek svg").length,
      marks: f.querySelectorAll(".bm-figuur__grafiek svg [aria-label] :is(path, rect, circle, line)").length,
      table: f.querySelectorAll("table").length,
    })),
  );
}

const PAGINA_BREEDTES = PAGES.flatMap((p) => WIDTHS.map((breedte) => ({ ...p, breedte })));

describe.each(PAGINA_BREEDTES)("pagina $naam op $breedte px", ({ path, naam, breedte }) => {
  it("laadt zonder fouten en tekent leesbare grafieken", async () => {
    const { page, errors, failed, firstChartMs } = await open(path, breedte);
    try {
      expect(errors, "console-fouten").toEqual([]);
      expect(failed, "mislukte verzoeken").toEqual([]);
      expect(browser.blocked, "verzoeken naar andere hosts").toEqual([]);
      const figs = await marksPerFigure(page);
      expect(figs.length, "figuren op de pagina").toBeGreaterThan(0);
      for (const f of figs) {
        // every figure has a chart with marks, or is itself a table (table 3.1, data quality)
        if (f.leeg) continue; // empty table in this publish set: the figure says so
        if (f.svg > 0) expect(f.marks, `marks in figuur ${f.id}`).toBeGreaterThan(0);
        else expect(f.table, `tabel in figuur ${f.id}`).toBeGreaterThan(0);
      }
      // no overlapping tick labels or line labels, text ≥ 11 px, no sideways scrolling of the page, wide tables with a cue
      const layout = await layoutProblems(page);
      expect(layout.overlap, "overlappende labels").toEqual([]);
      expect(layout.kleineTekst, "tekst kleiner dan 11 px").toEqual([]);
      expect(layout.paginaBreder, "de pagina schuift zijwaarts").toBe(0);
      expect(layout.tabelZonderHint, "brede tabel zonder 'schuif →'").toEqual([]);
      expect(layout.afgesneden, "aslabels afgesneden aan de rand van de grafiek").toEqual([]);
      expect(layout.dubbeleTick, "dezelfde aslabel twee keer op een as").toEqual([]);
      // pinch-zoom is the reader's (no maximum-scale or user-scalable=no)
      expect(await page.locator('meta[name="viewport"]').getAttribute("content")).not.toMatch(/maximum-scale|user-scalable\s*=\s*(no|0)/);
      const text = await page.innerText("main");
      expect(text).not.toMatch(/\bNaN\b|undefined|\[object Object\]|Infinity/);
      expect(await page.locator("html").getAttribute("lang")).toBe("nl");
      // the sample set is marked synthetic (make-sample.mjs): the banner on every page, and every source line says so
      expect(await page.locator('.bm-banner[data-banner~="synthetisch"]').innerText()).toContain(
        "Synthetische gegevens — geen UWV-statistiek",
      );
      const bronnen = await page.$$eval(".bm-bron", (b) => b.map((x) => x.textContent ?? ""));
      for (const b of bronnen) expect(b).toMatch(/^ Bron: synthetische gegevens \(baanmonitor\)/);
      expect(await page.innerText("body")).not.toMatch(/Bron: UWV/);
      // the file: notice stays hidden when the page is served
      expect(await page.locator("#bm-melding-bestand").isVisible()).toBe(false);
      const weight = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const res = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
        return { bytes: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0), verzoeken: res.length + 1 };
      });
      if (SCREENSHOTS) await page.screenshot({ path: join(ARTIFACTS, `${naam}-${breedte}.png`), fullPage: true });
      (metrics.paginas as Record<string, unknown>)[`${naam}-${breedte}`] = {
        ...weight,
        eerste_grafiek_ms: firstChartMs,
        figuren: figs.length,
      };
    } finally {
      await page.close();
    }
  });
});

describe("gewone statische server", () => {
  it("elke link in de zijbalk en op de kaarten werkt zonder herschrijven (.html)", async () => {
    const { page } = await open("/");
    try {
      const hrefs = await page.$$eval("#observablehq-sidebar a[href], main a[href]", (as) =>
        as.map((a) => (a as HTMLAnchorElement).href).filter((h) => h.startsWith(location.origin)),
      );
      const pages = [...new Set(hrefs.map((h) => h.split("#")[0]!))];
      expect(pages.length).toBeGreaterThanOrEqual(7);
      for (const h of pages) expect((await fetch(h)).status, h).toBe(200);
      // a card link leads to its page
      await page.locator('a.bm-kaart[href$="baaneindes.html"]').first().click();
      await page.waitForURL(/baaneindes\.html$/);
    } finally {
      await page.close();
    }
  });

  it("een pagina die van schijf is geopend (file:) zegt in gewoon Nederlands hoe het wel moet", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(pathToFileURL(join(server.dir, "werk-naar-werk.html")).href, { waitUntil: "load" });
      const melding = page.locator("#bm-melding-bestand");
      expect(await melding.isVisible()).toBe(true);
      expect(await melding.innerText()).toMatch(/webserver[\s\S]*npm run serve/);
      expect(await page.locator("noscript").count()).toBe(1);
    } finally {
      await page.close();
    }
  });
});

// the sample set hides every cell of one chart (test/fixtures/publish-sample/make-sample.mjs); a
// generated run (BAANMONITOR_TEST_FROM) need not have such a chart
const SAMPLE = FROM.endsWith("test/fixtures/publish-sample");

describe("verborgen cellen", () => {
  it.skipIf(!SAMPLE)("een figuur waarvan alle cellen verborgen zijn, zegt 'niet getoond' met de reden", async () => {
    const { page, errors } = await open("/jobcoachtrajecten.html");
    try {
      // the sample hides every cell of the WGA starters' share with a permanent contract
      await page.selectOption('[data-toggles="indices"] select', { label: "Aandeel vast contract" });
      await page.locator('[data-toggles="indices"] input[type=radio]').nth(1).check();
      const fig = page.locator('.bm-figuur[data-figuur="jobcoach-indices"]');
      await fig.locator("[data-niet-getoond]").waitFor();
      expect(await fig.locator("[data-niet-getoond]").innerText()).toMatch(/Niet getoond: te weinig personen \(minder dan 10\)/);
      expect(await fig.locator(".bm-figuur__grafiek svg").count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("een 100%-grafiek toont verborgen cellen als eigen segment 'niet getoond' in de legenda", async () => {
    const { page } = await open("/reintegratie.html");
    try {
      // the sample hides the praktijkassessment cell before the ending (make-sample.mjs)
      const fig = page.locator('.bm-figuur[data-figuur="reintegratie-type"]');
      expect(await fig.locator(".bm-figuur__grafiek").innerText()).toMatch(/Niet getoond \(te weinig personen\)/);
    } finally {
      await page.close();
    }
  });
});

async function chartSignature(page: Page, figuur: string) {
  return page.$eval(`.bm-figuur[data-figuur="${figuur}"] .bm-figuur__grafiek`, (e) => e.innerHTML);
}

describe("wisselknoppen veranderen de grafiek", () => {
  it("van werk naar werk: kenmerk, proefplaatsing, jaren", async () => {
    const { page, errors } = await open("/werk-naar-werk.html");
    try {
      const fig = "werk-naar-werk-curve";
      const before = await chartSignature(page, fig);
      await page.selectOption('[data-toggles="werk-naar-werk"] select', { label: "Geslacht" });
      await page.waitForFunction(
        ([f, b]) => document.querySelector(`.bm-figuur[data-figuur="${f}"] .bm-figuur__grafiek`)?.innerHTML !== b,
        [fig, before] as const,
      );
      const afterKenmerk = await chartSignature(page, fig);
      expect(afterKenmerk).not.toBe(before);
      expect(await page.innerText(`.bm-figuur[data-figuur="${fig}"] .bm-figuur__titel`)).toMatch(/Man|Vrouw/);
      await page.locator('[data-toggles="werk-naar-werk"] input[type=radio]').nth(1).check();
      await page.waitForFunction(
        ([f, b]) => document.querySelector(`.bm-figuur[data-figuur="${f}"] .bm-figuur__grafiek`)?.innerHTML !== b,
        [fig, afterKenmerk] as const,
      );
      expect(await page.innerText(`.bm-figuur[data-figuur="${fig}"] .bm-figuur__titel`)).toMatch(/proefplaatsing/);
      const jaarBefore = await chartSignature(page, "per-jaar-curve");
      await page.locator('[data-toggles="per-jaar"] input[type=checkbox]').first().uncheck();
      await page.waitForFunction(
        ([f, b]) => document.querySelector(`.bm-figuur[data-figuur="${f}"] .bm-figuur__grafiek`)?.innerHTML !== b,
        ["per-jaar-curve", jaarBefore] as const,
      );
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("CSV-download", () => {
  it("levert een Nederlandse CSV van precies de getoonde rijen", async () => {
    const { page } = await open("/werk-naar-werk.html");
    try {
      const fig = page.locator('.bm-figuur[data-figuur="tabel-3-1"]');
      const rowsShown = await fig.locator(".bm-details table tbody tr").count();
      const [download] = await Promise.all([page.waitForEvent("download"), fig.locator("button.bm-download").click()]);
      const csv = readFileSync(await download.path(), "utf8");
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      const lines = csv.slice(1).trim().split(/\r\n/);
      expect(lines[0]).toContain(";");
      expect(lines.length - 1).toBe(rowsShown);
      expect(lines[1]).toMatch(/\d,\d/); // decimal comma
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
    } finally {
      await page.close();
    }
  });
});

describe("maandmonitor per regio", () => {
  it("zet de regio over 12 maanden af tegen Nederland; verborgen cellen zijn x in de CSV", async () => {
    const { page, errors } = await open("/maandmonitor.html");
    try {
      // the smallest region of the sample set: its monthly counts are < 10 (hidden)
      const opties = await page.$$eval('[data-toggles="maandmonitor"] select option', (o) => o.map((x) => x.textContent ?? ""));
      const klein = opties.find((o) => /Flevoland/.test(o)) ?? opties[opties.length - 1];
      await page.selectOption('[data-toggles="maandmonitor"] select', { label: klein });
      const direct = page.locator('.bm-figuur[data-figuur="maand-aandeel_direct"]');
      await page.waitForFunction(() =>
        /Nederland/.test(
          document.querySelector('.bm-figuur[data-figuur="maand-aandeel_direct"] .bm-figuur__bijschrift')?.textContent ?? "",
        ),
      );
      expect(await direct.locator(".bm-figuur__bijschrift").innerText()).toMatch(/12 maanden/);
      // two lines: the region and Nederland
      expect(await direct.locator(".bm-figuur__grafiek svg [aria-label] path").count()).toBeGreaterThanOrEqual(2);
      const fig = page.locator('.bm-figuur[data-figuur="maand-baaneindes"]');
      const [download] = await Promise.all([page.waitForEvent("download"), fig.locator("button.bm-download").click()]);
      const lines = readFileSync(await download.path(), "utf8")
        .slice(1)
        .trim()
        .split(/\r\n/);
      // hidden cells in the shown table ("–") come out as x, with a note column; a count is never left empty
      const streepjes = await fig
        .locator(".bm-details table tbody td")
        .evaluateAll((tds) => tds.filter((td) => td.textContent === "–").length);
      const verborgen = lines.slice(1).filter((l) => l.split(";")[2] === "x");
      expect(verborgen.length).toBe(streepjes);
      if (streepjes > 0) {
        expect(lines[0]!.split(";").at(-1)).toBe("Opmerking");
        expect(verborgen[0]).toMatch(/te weinig personen/);
      } else {
        expect(lines[0]).not.toMatch(/Opmerking/);
      }
      expect(lines.slice(1).every((l) => l.split(";")[2] !== "")).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

/** for each page with switches: change one and expect the named figure's chart to change */
const TOGGLES = [
  {
    path: "/werk-naar-werk.html",
    figuur: "tabel-3-1",
    actie: (p: Page) => p.selectOption('[data-toggles="werk-naar-werk"] select', { index: 2 }),
  },
  {
    path: "/werk-naar-werk.html",
    figuur: "werk-naar-werk-curve",
    actie: async (p: Page) => {
      await p.selectOption('[data-toggles="werk-naar-werk"] select', { label: "Arbeidsmarktregio" });
      const regio = p.locator('[data-toggles="werk-naar-werk"] select').nth(1);
      await regio.waitFor();
      await regio.selectOption({ index: 1 });
    },
  },
  {
    path: "/reintegratie.html",
    figuur: "reintegratie-curve",
    actie: (p: Page) => p.locator('[data-toggles="reintegratie"] input[type=radio]').nth(1).check(),
  },
  {
    path: "/reintegratie.html",
    figuur: "reintegratie-curve",
    actie: (p: Page) => p.selectOption('[data-toggles="reintegratie"] select', { label: "Jaar van baaneinde" }),
  },
  {
    path: "/baaneindes.html",
    figuur: "gemiddelde-eindes",
    actie: (p: Page) => p.selectOption('[data-toggles="gemiddelde-eindes"] select', { index: 2 }),
  },
  {
    path: "/baaneindes.html",
    figuur: "gemiddelde-duur",
    actie: (p: Page) => p.selectOption('[data-toggles="gemiddelde-duur"] select', { index: 0 }),
  },
  {
    path: "/jobcoachtrajecten.html",
    figuur: "jobcoach-paden",
    actie: (p: Page) => p.locator('[data-toggles="paden"] input[type=radio]').nth(1).check(),
  },
  {
    path: "/jobcoachtrajecten.html",
    figuur: "jobcoach-indices",
    actie: (p: Page) => p.selectOption('[data-toggles="indices"] select', { index: 1 }),
  },
  {
    path: "/maandmonitor.html",
    figuur: "maand-lopende_banen",
    actie: (p: Page) => p.selectOption('[data-toggles="maandmonitor"] select', { index: 1 }),
  },
];

describe.each(TOGGLES.map((t, i) => ({ ...t, i })))("wisselknop $path #$i", ({ path, figuur, actie }) => {
  it(`verandert figuur ${figuur}`, async () => {
    const { page, errors } = await open(path);
    try {
      const sel = `.bm-figuur[data-figuur="${figuur}"]`;
      const before = await page.$eval(
        sel,
        (e) => e.querySelector(".bm-figuur__grafiek")!.innerHTML + e.querySelector(".bm-figuur__titel")!.textContent,
      );
      await actie(page);
      await page.waitForFunction(
        ([s, b]) => {
          const e = document.querySelector(s);
          return !!e && e.querySelector(".bm-figuur__grafiek")!.innerHTML + e.querySelector(".bm-figuur__titel")!.textContent !== b;
        },
        [sel, before] as const,
        { timeout: 10_000 },
      );
      const marks = await page.$$eval(`${sel} .bm-figuur__grafiek :is(svg, table)`, (n) => n.length);
      expect(marks).toBeGreaterThan(0);
      expect(await page.innerText(sel)).not.toMatch(/\bNaN\b|undefined/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("overlevingscurves", () => {
  it("een lijnstijl per groep, namen aan de lijnen, de noot over punten en lijnen, een risicotabel die zegt wat ontbreekt", async () => {
    const { page, errors } = await open("/werk-naar-werk.html");
    try {
      const fig = page.locator('.bm-figuur[data-figuur="werk-naar-werk-curve"]');
      const stijlen = await fig.locator('svg g[aria-label="line"]').evaluateAll((gs) => gs.map((g) => g.getAttribute("stroke-dasharray")));
      // extern, intern, geen: three lines, three styles (grayscale-safe)
      expect(stijlen.length).toBe(3);
      expect(new Set(stijlen).size).toBe(3);
      const labels = await fig.locator('svg g[aria-label="text"] text').allTextContents();
      expect(labels.map((l) => l.replace(/\s+/g, " "))).toEqual(
        expect.arrayContaining(["Externe jobcoach", "Interne jobcoach", "Geen jobcoach"]),
      );
      // points on the published days, joined by lines
      expect(await fig.locator('svg g[aria-label="dot"] circle').count()).toBeGreaterThan(10);
      expect(await fig.locator(".bm-curve-noot").innerText()).toMatch(/gepubliceerde meetmomenten, lijnen verbinden ze/);
      expect(await fig.locator(".bm-risico-uitleg").innerText()).toMatch(/niet gepubliceerd/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("de y-as past bij de gegevens: re-integratie loopt niet tot 100%", async () => {
    const { page } = await open("/reintegratie.html");
    try {
      const ticks = await page
        .locator('.bm-figuur[data-figuur="reintegratie-curve"] svg g[aria-label="y-axis tick label"] text')
        .allTextContents();
      const top = Math.max(...ticks.map((t) => Number.parseFloat(t.replace(",", "."))));
      expect(top).toBeLessThan(100);
    } finally {
      await page.close();
    }
  });
});

describe("vergelijking: het Cox-model naast de weging", () => {
  it("hazard ratio's (forest), de PH-toets in één zin, gestandaardiseerde aandelen en de derde methode in de verschillen", async () => {
    const { page, errors } = await open("/vergelijking.html");
    try {
      for (const id of ["vergelijking-hazard-ratios", "vergelijking-hazard-ratios-kenmerken", "vergelijking-gestandaardiseerd"]) {
        const fig = page.locator(`.bm-figuur[data-figuur="${id}"]`);
        expect(await fig.count(), id).toBe(1);
        // a dot per estimate, a line per interval
        expect(await fig.locator('svg g[aria-label="dot"] circle').count(), `stippen in ${id}`).toBeGreaterThan(1);
        expect(await fig.locator('svg g[aria-label="rule"] line').count(), `intervallen in ${id}`).toBeGreaterThan(1);
      }
      // the reference line of a hazard ratio is at 1
      expect(await page.locator('.bm-figuur[data-figuur="vergelijking-hazard-ratios"] .bm-figuur__titel').innerText()).toMatch(
        /hazard ratio \d,\d\d \(95%-BI/,
      );
      const ph = page.locator("[data-ph-toets]");
      expect(await ph.getAttribute("data-ph-toets")).toBe(SAMPLE ? "getoond" : await ph.getAttribute("data-ph-toets"));
      if (SAMPLE) expect(await ph.innerText()).toMatch(/χ² = 1\.683,4 bij 26 vrijheidsgraden, p < 0,001.*gemiddelde over de tijd/s);
      // the differences chart shows the Cox-standardised reading as a third series
      const verschillen = page.locator('.bm-figuur[data-figuur="vergelijking-verschillen"]');
      expect(await verschillen.innerText()).toMatch(/Gestandaardiseerd \(Cox-model\)/);
      // a hazard ratio hidden by disclosure control is not drawn, and the table says so
      if (SAMPLE) {
        const kenmerken = page.locator('.bm-figuur[data-figuur="vergelijking-hazard-ratios-kenmerken"]');
        const dots = await kenmerken.locator('svg g[aria-label="dot"] circle').count();
        expect(dots).toBe(23); // 24 covariate levels in the sample, startjaar 2019 hidden
        const rij = kenmerken.locator("tr", { hasText: "Startjaar van de baan" }).filter({ hasText: "2019" });
        expect(await rij.textContent()).toMatch(/–/);
        expect(await kenmerken.textContent()).toMatch(/niet getoond: te weinig personen/);
      }
      expect(await page.innerText("main")).toMatch(/Het Cox-model[\s\S]*gemiddelde over de tijd[\s\S]*geen bewezen effect van de jobcoach/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
