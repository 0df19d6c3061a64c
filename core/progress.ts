/**
 * Progress of a long command on stderr, one mechanism for `run` and `analyse`:
 * - "terminal" (stderr is a TTY): the current step on one line, rewritten in place, and a line
 *   per finished step with its duration;
 * - "regels" (stderr is a file or pipe, e.g. CI or a log): a plain line when a step starts, with
 *   the time since the command began, so a long run is never minutes of silence;
 * - "uit": nothing (the tests).
 * Times in seconds with a decimal comma.
 */
export type ProgressMode = "terminal" | "regels" | "uit";

/** The mode for stderr: `enabled` false → uit; otherwise terminal on a TTY, else regels. */
export function progressMode(enabled?: boolean): ProgressMode {
  if (enabled === false) return "uit";
  return process.stderr.isTTY ? "terminal" : "regels";
}

export class Progress {
  private t0 = performance.now();
  private tStage = performance.now();
  private current = "";
  private readonly mode: ProgressMode;

  /** `mode`: a ProgressMode, or a boolean as in `progressMode` (undefined: by stderr) */
  constructor(
    mode?: ProgressMode | boolean,
    private readonly write: (s: string) => void = (s) => void process.stderr.write(s),
  ) {
    this.mode = typeof mode === "string" ? mode : progressMode(mode);
  }

  private secs(t: number): string {
    return ((performance.now() - t) / 1000).toFixed(1).replace(".", ",");
  }

  /** A new step begins (the previous one ends). */
  stage(name: string): void {
    if (this.mode === "uit") return;
    if (this.mode === "regels") {
      this.write(`[${this.secs(this.t0).padStart(7)} s] ${name}\n`);
      return;
    }
    if (this.current) this.write(`\r\x1b[K  ${this.current} (${this.secs(this.tStage)} s)\n`);
    this.current = name;
    this.tStage = performance.now();
    this.write(`\r\x1b[K▸ ${name} … [${this.secs(this.t0)} s]`);
  }

  /** A message of its own line. */
  note(msg: string): void {
    if (this.mode === "uit") return;
    if (this.mode === "regels") {
      this.write(`${msg}\n`);
      return;
    }
    this.write(`\r\x1b[K${msg}\n`);
    if (this.current) this.write(`▸ ${this.current} … [${this.secs(this.t0)} s]`);
  }

  /** The command ends; `msg` (if any) with the total time. */
  done(msg?: string): void {
    if (this.mode === "uit") return;
    if (this.mode === "terminal" && this.current) this.write(`\r\x1b[K  ${this.current} (${this.secs(this.tStage)} s)\n`);
    this.current = "";
    if (msg) this.write(`${msg} [${this.secs(this.t0)} s]\n`);
  }
}
