import { emit } from "./_publish.js";
emit("duur_per_jaar");
