// The keyed partner choice (analyses/disclosure/partner-key.ts): a partner is chosen by its class
// (more than the margin, other positive, zero) and then by a hash of the run's key and its id,
// never by its value within a class; the key comes from the persons of the run.
import { afterEach, describe, expect, it } from "vitest";
import {
  partnerClass,
  partnerKeyFrom,
  partnerRank,
  partnerScore,
  resetPartnerChoice,
  setPartnerChoice,
} from "../../analyses/disclosure/partner-key.ts";
import { createMarts, memoryDb } from "../fixtures/analyses/marts.ts";

afterEach(() => resetPartnerChoice());

describe("keyed partner choice", () => {
  it("classes: more than the margin first, then other positive values, then 0", () => {
    setPartnerChoice({ key: "k", marge: 5 });
    expect([6, 1000, -7].map(partnerClass)).toEqual([0, 0, 0]);
    expect([1, 5, -5].map(partnerClass)).toEqual([1, 1, 1]);
    expect(partnerClass(0)).toBe(2);
    // within a class the value plays no part, across classes the class decides
    expect(partnerScore(6, "x")).toBe(partnerScore(999, "x"));
    for (const id of ["a", "b", "c"]) expect(partnerScore(1000, id)).toBeLessThan(partnerScore(3, "z"));
  });

  it("the order of the cells depends on the key", () => {
    const ids = Array.from({ length: 20 }, (_, i) => `t#${i}.aantal`);
    const order = (key: string) => {
      setPartnerChoice({ key, marge: 5 });
      return [...ids].sort((a, b) => partnerRank(a) - partnerRank(b));
    };
    expect(order("een")).toEqual(order("een"));
    expect(order("een")).not.toEqual(order("twee"));
  });

  it("the key of a run comes from its persons, in any order, and is empty without them", async () => {
    const { conn, close } = await memoryDb();
    try {
      expect(await partnerKeyFrom(conn)).toBe("");
      await createMarts(conn, { personen: [{ persoon_id: "a" }, { persoon_id: "b" }] });
      const k = await partnerKeyFrom(conn);
      await createMarts(conn, { personen: [{ persoon_id: "b" }, { persoon_id: "a" }] });
      expect(await partnerKeyFrom(conn)).toBe(k);
      await createMarts(conn, { personen: [{ persoon_id: "a" }, { persoon_id: "c" }] });
      expect(await partnerKeyFrom(conn)).not.toBe(k);
    } finally {
      close();
    }
  });
});
