/**
 * Temporary folders for tests, removed after each test file (test/setup/temp-cleanup.ts): a
 * file's runs, copies and kills leave nothing in the system's temp folder (a full `npm test`
 * used to leave ~550 folders behind). All live under one root per process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let root: string | undefined;

export function tempDir(prefix: string): string {
  root ??= mkdtempSync(join(tmpdir(), "bm-test-"));
  return mkdtempSync(join(root, prefix));
}

/** Removes every folder tempDir made so far (called after each test file). */
export function removeTempDirs(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
}
