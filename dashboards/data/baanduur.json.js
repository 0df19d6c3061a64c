import { emit } from "./_publish.js";
emit("baanduur");
