import { emit } from "./_publish.js";
emit("jobcoach_paden");
