import { emit } from "./_publish.js";
emit("kalibratie", { optioneel: true });
