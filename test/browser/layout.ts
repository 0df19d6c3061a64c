// Layout checks of a page as drawn, measured in the browser (site.test.ts runs them at every
// width): tick labels of an axis and the line labels of a survival chart must not overlap,
// chart text is at least 11 px as rendered (a chart drawn wider than its box and scaled down
// fails), the document must not scroll sideways, and a table wider than its box shows the
// "schuif →" cue; axis labels are not cut off at the chart's edge and no tick label repeats.
import type { Page } from "playwright-core";

export interface LayoutProblems {
  /** "figure: label A × label B" for every pair of overlapping labels */
  overlap: string[];
  /** "figure: text (px)" for chart text rendered below 11 px */
  kleineTekst: string[];
  /** px the document is wider than the viewport */
  paginaBreder: number;
  /** tables that are cut without a visible cue */
  tabelZonderHint: string[];
  /** "figure: label" for axis labels cut off by the chart's edge */
  afgesneden: string[];
  /** "figure: axis label" for a tick label that occurs twice on one axis (ticks rounded to the same text) */
  dubbeleTick: string[];
}

export const MIN_TEKST_PX = 11;

export function layoutProblems(page: Page): Promise<LayoutProblems> {
  return page.evaluate((minPx) => {
    const overlap: string[] = [];
    const kleineTekst: string[] = [];
    const afgesneden: string[] = [];
    const dubbeleTick: string[] = [];
    const figuurVan = (e: Element) => e.closest(".bm-figuur")?.getAttribute("data-figuur") ?? "?";
    for (const svg of document.querySelectorAll<SVGSVGElement>(".bm-figuur__grafiek svg")) {
      if (!svg.checkVisibility()) continue; // not shown (e.g. in a closed details)
      // groups of labels that must not touch: each axis' tick labels with its title; the direct labels of a survival chart
      const groepen = [
        ...["x", "y", "fx", "fy"].map((as) => [
          ...svg.querySelectorAll(`g[aria-label="${as}-axis tick label"], g[aria-label="${as}-axis label"]`),
        ]),
        ...(svg.closest(".bm-survival") ? [...svg.querySelectorAll('g[aria-label="text"]')].map((g) => [g]) : []),
      ];
      for (const g of groepen) {
        const boxes = g
          .flatMap((x) => [...x.querySelectorAll("text")])
          .filter((t) => (t.textContent ?? "").trim() !== "")
          .map((t) => ({ t: (t.textContent ?? "").trim(), r: t.getBoundingClientRect() }));
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i]!.r;
            const b = boxes[j]!.r;
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (w > 0.5 && h > 0.5) overlap.push(`${figuurVan(svg)}: "${boxes[i]!.t}" × "${boxes[j]!.t}"`);
          }
      }
      // axis labels inside the chart (a label wider than the margin is cut at the svg's edge), and
      // no tick label twice on one axis (ticks at 0.05 formatted with one decimal: "0,1 0,1")
      const rand = svg.getBoundingClientRect();
      for (const as of ["x", "y"]) {
        const teksten = [...svg.querySelectorAll(`g[aria-label="${as}-axis tick label"] text`)];
        const gezien = new Set<string>();
        for (const t of teksten) {
          const tekst = (t.textContent ?? "").trim();
          if (!tekst) continue;
          const r = t.getBoundingClientRect();
          if (r.left < rand.left - 0.5 || r.right > rand.right + 0.5) afgesneden.push(`${figuurVan(svg)}: "${tekst}"`);
          if (gezien.has(tekst)) dubbeleTick.push(`${figuurVan(svg)}: ${as} "${tekst}"`);
          gezien.add(tekst);
        }
      }
      // rendered size: the computed font size times the svg's scale (drawn width / viewBox width)
      const vb = svg.viewBox.baseVal;
      const schaal = vb?.width ? svg.getBoundingClientRect().width / vb.width : 1;
      for (const t of svg.querySelectorAll("text")) {
        if (!(t.textContent ?? "").trim() || t.closest('g[aria-label="tip"]')) continue;
        const px = Number.parseFloat(getComputedStyle(t).fontSize) * schaal;
        if (px < minPx - 0.01) kleineTekst.push(`${figuurVan(svg)}: "${t.textContent}" (${px.toFixed(1)} px)`);
      }
    }
    // Plot's legends are HTML: their own font size
    for (const legend of document.querySelectorAll<HTMLElement>('.bm-figuur__grafiek [class*="-swatches"]')) {
      if (!legend.checkVisibility()) continue;
      const px = Number.parseFloat(getComputedStyle(legend).fontSize);
      if (px < minPx - 0.01) kleineTekst.push(`${figuurVan(legend)}: legenda (${px.toFixed(1)} px)`);
    }
    const tabelZonderHint: string[] = [];
    for (const wrap of document.querySelectorAll<HTMLElement>(".bm-tabel-wrap")) {
      // a closed details keeps its content laid out but not shown (content-visibility)
      if (!wrap.checkVisibility() || wrap.scrollWidth <= wrap.clientWidth + 1) continue;
      const hint = wrap.querySelector<HTMLElement>(".bm-schuif");
      if (!hint?.checkVisibility()) tabelZonderHint.push(figuurVan(wrap));
    }
    const paginaBreder = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    return { overlap, kleineTekst, paginaBreder, tabelZonderHint, afgesneden, dubbeleTick };
  }, MIN_TEKST_PX);
}
