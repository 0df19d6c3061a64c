import { emit } from "./_publish.js";
emit("run");
