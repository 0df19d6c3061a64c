// Runs before every test file: the file's temporary folders (test/helpers/temp.ts) go when it ends.
import { afterAll } from "vitest";
import { removeTempDirs } from "../helpers/temp.ts";

afterAll(() => removeTempDirs());
