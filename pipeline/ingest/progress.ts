/** Progress on stderr when it is a TTY (stage and elapsed time); silent otherwise. */
export class Progress {
  private t0 = performance.now();
  private tStage = performance.now();
  private current = "";
  constructor(private readonly enabled: boolean) {}

  private secs(t: number) {
    return ((performance.now() - t) / 1000).toFixed(1).replace(".", ",");
  }

  stage(name: string): void {
    if (!this.enabled) return;
    if (this.current) process.stderr.write(`\r\x1b[K  ${this.current} (${this.secs(this.tStage)} s)\n`);
    this.current = name;
    this.tStage = performance.now();
    process.stderr.write(`\r\x1b[K▸ ${name} … [${this.secs(this.t0)} s]`);
  }

  note(msg: string): void {
    if (!this.enabled) return;
    process.stderr.write(`\r\x1b[K${msg}\n`);
    if (this.current) process.stderr.write(`▸ ${this.current} … [${this.secs(this.t0)} s]`);
  }

  done(msg?: string): void {
    if (!this.enabled) return;
    if (this.current) process.stderr.write(`\r\x1b[K  ${this.current} (${this.secs(this.tStage)} s)\n`);
    this.current = "";
    if (msg) process.stderr.write(`${msg} [${this.secs(this.t0)} s]\n`);
  }
}
