/** openQuoteField: the field of a CSV line where a quoted value opens and does not close (pipeline/ingest/read.ts). */
import { describe, expect, it } from "vitest";
import { openQuoteField } from "../../pipeline/ingest/read.ts";

describe("openQuoteField", () => {
  it("names the field whose quote does not close on the line", () => {
    expect(openQuoteField('S2,P002,proefplaatsing,"ORG9,WG5,2015-05-01', ",", '"')).toBe(3);
    expect(openQuoteField('"open', ",", '"')).toBe(0);
    expect(openQuoteField('a;"b;c";"d', ";", '"')).toBe(2);
  });
  it("is null when every quoted value closes, doubled quotes included", () => {
    expect(openQuoteField('a,"b,c",d', ",", '"')).toBeNull();
    expect(openQuoteField('a,"he said ""hi""",d', ",", '"')).toBeNull();
    expect(openQuoteField("a,b,c", ",", '"')).toBeNull();
    expect(openQuoteField('a,"",c', ",", '"')).toBeNull();
  });
  it("a doubled quote at the end of a quoted value does not close it", () => {
    expect(openQuoteField('a,"b""', ",", '"')).toBe(1);
  });
});
