// Names of the arbeidsmarktregio codes, taken from the published maandmonitor (regio, regio_naam),
// so pages can label regions without loading the whole monthly series.
import { lees, print } from "./_publish.js";

const namen = {};
for (const r of lees("maandmonitor").tabellen.reeks ?? []) if (r.regio && r.regio_naam) namen[r.regio] = r.regio_naam;
print(namen);
