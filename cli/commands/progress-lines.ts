/** The progress line of one finished analysis (or the publication's control phase), for `run` and `analyse`. */
export function analysisLine(id: string, ms: number): string {
  return `  ${id.padEnd(32)} ${(ms / 1000).toFixed(1).replace(".", ",")} s`;
}
