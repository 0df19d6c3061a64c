// One loader for every file of the published set: the page's FileAttachment("data/<id>.json")
// runs it with --id=<id> (Framework's parameterised data loaders) and gets <publish>/<id>.json
// unchanged. Loaders that combine published files (overzicht, regio-namen) are files of their
// own and take precedence.
import { parseArgs } from "node:util";
import { lees, print } from "./_publish.js";

const { values } = parseArgs({ options: { id: { type: "string" } } });
print(lees(values.id ?? ""));
