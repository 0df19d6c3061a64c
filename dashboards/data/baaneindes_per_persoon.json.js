import { emit } from "./_publish.js";
emit("baaneindes_per_persoon");
