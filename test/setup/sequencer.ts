/**
 * Test-file order for `vitest run`: the longest files first, across the three tiers.
 *
 * Vitest's own sequencer runs the projects one after another by name (browser, e2e, unit) and,
 * without a results cache (a fresh clone, as in CI), orders the files of a project by size. With
 * two workers a run ends when its last long file ends, so a long file that starts late (the
 * bad-input corpus started after 430 s of a 750 s run) stretches the whole run. Here every file
 * gets a weight: its duration from vitest's results cache when known, else the estimate below,
 * else 0; heavier files start first (ties: larger file first).
 */
import { statSync } from "node:fs";
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Seconds per file measured in a full `npm test` on the 2-core machines (files run two at a time);
 * only the order matters. Update when a file's cost changes much.
 */
export const ESTIMATES: Record<string, number> = {
  "test/robustness/corpus.test.ts": 95,
  "test/robustness/faults.test.ts": 60,
  "test/robustness/analyse-atomic.test.ts": 60,
  "test/browser/site.test.ts": 45,
  "test/robustness/property.test.ts": 42,
  "test/browser/build.test.ts": 25,
  "test/analyses/publication.test.ts": 20,
  "test/robustness/output-ownership.test.ts": 17,
  "test/robustness/output-lock.test.ts": 17,
  "test/e2e/dialect-marts.test.ts": 13,
  "test/ingest/generator.test.ts": 13,
  "test/ingest/cli.test.ts": 12,
  "test/analyses/determinism.test.ts": 11,
  "test/ingest/files.test.ts": 10,
  "test/e2e/work-tables.test.ts": 9,
  "test/browser/safety.test.ts": 8,
  "test/analyses/injection.test.ts": 7,
  "test/derivations/ground-truth.test.ts": 7,
  "test/robustness/one-person.test.ts": 6,
  "test/derivations/d1_d2.test.ts": 6,
  "test/derivations/d3_d6_d7.test.ts": 6,
  "test/unit/confine.test.ts": 5,
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const weight = new Map<TestSpecification, number>();
    const size = new Map<TestSpecification, number>();
    for (const f of files) {
      const rel = relative(root, f.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${f.project.name}:${rel}`);
      weight.set(f, cached ? cached.duration / 1000 : (ESTIMATES[rel] ?? 0));
      size.set(f, statSync(f.moduleId, { throwIfNoEntry: false })?.size ?? 0);
    }
    return [...files].sort((a, b) => weight.get(b)! - weight.get(a)! || size.get(b)! - size.get(a)!);
  }
}
