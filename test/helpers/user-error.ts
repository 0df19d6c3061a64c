import { expect } from "vitest";

/** The message of the UserError that `f` throws (fails the test when it throws nothing or another error). */
export function userErrorMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect((e as Error).name).toBe("UserError");
    return (e as Error).message;
  }
  throw new Error("expected a UserError");
}
