import { emit } from "./_publish.js";
emit("reintegratie_eigen_organisatie");
