/**
 * A problem the user can fix (bad input, bad mapping, missing file). Printed as one plain
 * message without a stack trace; the process exits non-zero.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** Where the problem is, e.g. "polis.csv, regel 12, kolom loon_sv". */
    readonly location?: string,
  ) {
    super(location ? `${location}: ${message}` : message);
    this.name = "UserError";
  }
}

/**
 * Disclosure control refused the publication (a hidden cell could be worked back out). The run
 * keeps its marts and analyses, writes no publish/, and the process exits with EXIT_REFUSED.
 */
export class PublicationRefused extends Error {
  constructor(
    message: string,
    /** the cells that could be worked out (`<analysis>/<table>#<row>.<column>`) */
    readonly cells: readonly string[],
  ) {
    super(message);
    this.name = "PublicationRefused";
  }
}

/** Exit code of a run or analyse whose publication disclosure control refused (docs/publish.md). */
export const EXIT_REFUSED = 3;
