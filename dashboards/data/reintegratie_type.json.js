import { emit } from "./_publish.js";
emit("reintegratie_type");
