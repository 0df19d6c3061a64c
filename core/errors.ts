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
