import { emit } from "./_publish.js";
emit("duur_tot_volgende_baan");
