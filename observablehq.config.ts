// Observable Framework configuration for the baanmonitor dashboard (Dutch, fully offline).
// - root: dashboards/ (pages, components, data loaders); output: dist/
// - globalStylesheets: [] — no Google Fonts request (fails offline, leaks visitor addresses)
// - explicit footer — no build timestamp, so two builds of the same data are identical
// - links end in .html (preserveExtension, preserveIndex): the site works on any plain static
//   server (python3 -m http.server, `baanmonitor serve`), none needs to rewrite "/x" to "/x.html"
// - <html lang="nl"> is written into the pages by scripts/build-site.mjs (Framework has no option)
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { bannerHtml, drempelMeta, herkomstMeta } from "./dashboards/components/runStatus.js";

// the published set this build reads (scripts/build-site.mjs sets BAANMONITOR_PUBLISH)
function readRun(): unknown {
  try {
    return JSON.parse(readFileSync(join(resolve(process.env.BAANMONITOR_PUBLISH ?? "out/publish"), "run.json"), "utf8"));
  } catch {
    return null;
  }
}

const RUN = readRun();

// an inline svg favicon (base64: Framework would percent-encode a percent-encoded URI again):
// no request, so no 404 on any server
const FAVICON = `data:image/svg+xml;base64,${Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#00456e"/>` +
    `<path d="M7 23V13h4v10zm7 0V8h4v15zm7 0v-7h4v7z" fill="#fff"/></svg>`,
).toString("base64")}`;

// A page opened from disk (file:) cannot load its modules, and without JavaScript nothing is
// drawn: say so, in the page itself. The notice is plain HTML; a classic inline script (which
// does run from file:) shows it when the page is opened from disk.
const SERVE = "npm run serve";
const ZONDER_SCRIPTS =
  `<noscript><div class="bm-melding-laden">Deze pagina heeft JavaScript nodig om de grafieken en tabellen te tonen. ` +
  `Zet JavaScript aan in uw browser.</div></noscript>` +
  `<div class="bm-melding-laden" id="bm-melding-bestand" hidden><strong>Open het dashboard via een webserver.</strong> ` +
  `Een pagina die rechtstreeks van schijf is geopend (file:) kan de grafieken niet laden. ` +
  `Start de server met <code>${SERVE}</code> (of <code>npx baanmonitor serve --dir dist</code>) en open het adres dat daar staat.</div>` +
  `<script>if (location.protocol === "file:") document.getElementById("bm-melding-bestand").hidden = false;</script>`;

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
  preserveIndex: true,
  preserveExtension: true,
  head: `<meta name="robots" content="noindex"><link rel="icon" href="${FAVICON}">${herkomstMeta(RUN)}${drempelMeta(RUN)}`,
  // a run on synthetic extracts, or one that is not for release, says so on every page (dashboards/components/runStatus.js)
  // one block, so the banner sits below the title row at every width (Framework lays the header out as a flex row)
  header: `<div class="bm-kop">${HEADER}${bannerHtml(RUN)}${ZONDER_SCRIPTS}</div>`,
  footer:
    "Wajong-baanmonitor · UWV Kenniscentrum · Alle cijfers zijn beschrijvend: verschillen tussen groepen zijn geen bewijs van een effect. " +
    "Cellen met te weinig personen zijn niet getoond (–).",
  pages: [
    { name: "Overzicht", path: "/" },
    { name: "Baaneindes", path: "/baaneindes" },
    { name: "Van werk naar werk", path: "/werk-naar-werk" },
    { name: "Vergelijking jobcoach", path: "/vergelijking" },
    { name: "Re-integratie", path: "/reintegratie" },
    { name: "Jobcoachtrajecten", path: "/jobcoachtrajecten" },
    { name: "Maandmonitor", path: "/maandmonitor" },
    { name: "Methode en data", path: "/methode" },
  ],
};
