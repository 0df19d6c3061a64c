import { emit } from "./_publish.js";
emit("duur_incl_proefplaatsing");
