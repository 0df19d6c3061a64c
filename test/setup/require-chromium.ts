/**
 * The browser tier needs Debian's Chromium (npm browser downloads do not work on these
 * machines). It is installed by an explicit setup step, not as a side effect of `npm test`.
 */
import { existsSync } from "node:fs";

export const CHROMIUM = "/usr/bin/chromium";

export default function setup(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} ontbreekt: installeer het eenmalig met 'npm run setup:browser' (als root: apt-get install chromium)`);
  }
}
