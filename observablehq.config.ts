// Observable Framework configuration for the baanmonitor dashboard (Dutch, fully offline).
// - root: dashboards/ (pages, components, data loaders); output: dist/
// - globalStylesheets: [] — no Google Fonts request (fails offline, leaks visitor addresses)
// - explicit footer — no build timestamp, so two builds of the same data are identical
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { bannerHtml } from "./dashboards/components/runStatus.js";

// the published set this build reads (scripts/build-site.mjs sets BAANMONITOR_PUBLISH)
function readRun(): unknown {
  try {
    return JSON.parse(readFileSync(join(resolve(process.env.BAANMONITOR_PUBLISH ?? "out/publish"), "run.json"), "utf8"));
  } catch {
    return null;
  }
}

const HEADER = `<div class="bm-header"><span class="bm-header__merk">UWV Kenniscentrum</span><span class="bm-header__titel">Wajong-baanmonitor</span></div>`;

export default {
  title: "Wajong-baanmonitor",
  root: "dashboards",
  // scripts/build-site.mjs --out sets BAANMONITOR_DIST (absolute); default dist/
  output: process.env.BAANMONITOR_DIST ?? "dist",
  style: "style.css",
  globalStylesheets: [],
  search: false,
  toc: false,
  pager: false,
  sidebar: true,
  head: `<meta name="robots" content="noindex"><script>document.documentElement.lang = "nl";</script>`,
  // a run that is not for release says so on every page (dashboards/components/runStatus.js)
  // one block, so the banner sits below the title row at every width (Framework lays the header out as a flex row)
  header: `<div class="bm-kop">${HEADER}${bannerHtml(readRun())}</div>`,
  footer:
    "Wajong-baanmonitor · UWV Kenniscentrum · Alle cijfers zijn beschrijvend: verschillen tussen groepen zijn geen bewijs van een effect. " +
    "Cellen met te weinig personen zijn niet getoond (–).",
  pages: [
    { name: "Overzicht", path: "/" },
    { name: "Baaneindes", path: "/baaneindes" },
    { name: "Van werk naar werk", path: "/werk-naar-werk" },
    { name: "Re-integratie", path: "/reintegratie" },
    { name: "Jobcoachtrajecten", path: "/jobcoachtrajecten" },
    { name: "Maandmonitor", path: "/maandmonitor" },
    { name: "Methode en data", path: "/methode" },
  ],
};
