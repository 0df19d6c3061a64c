/**
 * Disclosure control of publish/run.json, the public part of the run manifest. Its counts are
 * rows of the extracts (read, loaded, rejected per file and reason), soft quality checks and
 * the D3 linkage of jobcoach periods to jobs: small counts there can single out persons as well
 * as any cell of an analysis table, so the same rules apply (docs/publish.md):
 *
 * - a count 1..minAantal-1 is hidden (null, `onderdrukt: true` on its object);
 * - per file gelezen = geladen + afgewezen: when afgewezen is hidden, geladen is hidden with it
 *   (gelezen stays: it says nothing about who was rejected), and the totals of geladen and
 *   afgewezen over the files are hidden (total − the other files would give it back);
 * - the linkage details are a partition per level (niveau) whose total follows from any
 *   visible count ÷ share: a hidden cell gets a partner (secondary suppression), shares go with
 *   their counts and are rounded to 0.1 percentage point; the three headline shares (which sum
 *   to 1 over the period-level cells) are hidden together when any period-level cell is.
 */
import type { Row } from "../types.ts";
import { hideSmallCounts, hideWith, isHidden, secondarySuppression, type DisclosureRules } from "./index.ts";

type Obj = Record<string, unknown>;

const small = (v: unknown, rules: DisclosureRules) => typeof v === "number" && v > 0 && v < rules.minAantal;
const round3 = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v);

/** Returns a protected copy; the input is not changed. */
export function protectRunSummary(pub: Obj, rules: DisclosureRules): Obj {
  const out = structuredClone(pub);
  const invoer = out.invoer as { bestanden?: Obj[]; totaal?: Obj; afwijzingen?: Obj[] } | undefined;
  if (invoer) {
    let anyHidden = false;
    for (const f of invoer.bestanden ?? []) {
      const hiddenHere: string[] = [];
      for (const k of ["afgewezen", "afgewezen_structuur"]) if (small(f[k], rules)) hiddenHere.push(k);
      if (hiddenHere.includes("afgewezen")) hiddenHere.push("geladen");
      for (const k of hiddenHere) f[k] = null;
      if (hiddenHere.length) {
        f.onderdrukt = true;
        anyHidden = true;
      }
    }
    if (invoer.totaal) {
      const t = invoer.totaal;
      if (anyHidden || small(t.afgewezen, rules)) {
        t.geladen = null;
        t.afgewezen = null;
        t.onderdrukt = true;
      }
    }
    for (const a of invoer.afwijzingen ?? []) {
      if (small(a.aantal, rules)) {
        a.aantal = null;
        a.onderdrukt = true;
      }
    }
  }
  for (const q of (out.kwaliteit as Obj[] | undefined) ?? []) {
    if (small(q.aantal, rules)) {
      q.aantal = null;
      q.onderdrukt = true;
    }
  }
  const kop = out.koppeling as (Obj & { details?: Obj[] }) | null | undefined;
  if (kop) {
    const details = (kop.details ?? []) as Row[];
    hideSmallCounts(details, ["aantal"], rules);
    secondarySuppression(details, "aantal", [{ key: (r) => String(r.niveau), totalKnown: true }]);
    hideWith(details, "aantal", ["aandeel"]);
    const periodHidden = details.some((r) => r.niveau === "perioden" && isHidden(r, "aantal"));
    kop.details = details.map((r) => {
      const o: Obj = { ...r, aandeel: round3(r.aandeel) };
      if (isHidden(r, "aantal")) o.onderdrukt = true;
      return o;
    });
    for (const k of ["jobcoach_werkgever", "jobcoach_inlener", "jobcoach_niet_gekoppeld"]) {
      if (k in kop) kop[k] = periodHidden ? null : round3(kop[k]);
    }
    if (periodHidden) kop.onderdrukt = true;
  }
  return out;
}
