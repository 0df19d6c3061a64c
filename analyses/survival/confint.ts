import { qnorm } from "./distributions.ts";
import type { ConfType } from "./types.ts";

/** z for a two-sided interval at `confLevel`. */
export function zValue(confLevel: number): number {
  if (!(confLevel > 0 && confLevel < 1)) throw new Error(`confLevel moet tussen 0 en 1 liggen, niet ${confLevel}`);
  return qnorm(1 - (1 - confLevel) / 2);
}

/**
 * Pointwise confidence limits for a probability p with standard error `seLog` of log p (the
 * scale R's `survfit_confint` works on), R semantics: NaN where R gives NA.
 *  - log:     exp(log p ± z·se), upper capped at 1; NA when p = 0
 *  - log-log: exp(−exp(log(−log p) ∓ z·se/log p)); NA when p is 0 or 1
 *  - plain:   p ± z·se·p, clipped to [0, 1]
 */
export function confLimits(p: number, seLog: number, confType: ConfType, z: number): [number, number] {
  switch (confType) {
    case "log": {
      if (p === 0 || Number.isNaN(p)) return [NaN, NaN];
      const lp = Math.log(p);
      const h = z * seLog;
      return [Math.exp(lp - h), Math.min(Math.exp(lp + h), 1)];
    }
    case "log-log": {
      if (p === 0 || p === 1 || Number.isNaN(p)) return [NaN, NaN];
      const lp = Math.log(p);
      const h = (z * seLog) / lp;
      const ll = Math.log(-lp);
      return [Math.exp(-Math.exp(ll - h)), Math.exp(-Math.exp(ll + h))];
    }
    case "plain": {
      const h = seLog * p * z;
      return [Math.max(p - h, 0), Math.min(p + h, 1)];
    }
    default:
      throw new Error(`onbekend confType: ${String(confType)}`);
  }
}
