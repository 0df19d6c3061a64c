/**
 * `baanmonitor serve [--port 8080] [--dir dist]`: serve the built dashboard on 127.0.0.1.
 * A plain static file server (node:http), on purpose without rewrites: "/" and "/map/" give the
 * folder's index.html, every other path is a file as it is named. The site's links end in .html
 * (observablehq.config.ts), so it works the same on this server as on any other static server
 * (python3 -m http.server, nginx). The browser tests serve the site with this server too.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { UserError } from "../../core/errors.ts";

export interface ServeOptions {
  port?: string;
  dir?: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".parquet": "application/octet-stream",
};

/** Start a static server for `dir` on host:port (port 0: any free port); resolves with its address. */
export async function startServer(dir: string, port = 8080, host = "127.0.0.1"): Promise<{ url: string; close: () => Promise<void> }> {
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("ongeldig adres");
      return;
    }
    if (path.endsWith("/")) path += "index.html";
    const file = join(root, path);
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403, { "content-type": "text/plain; charset=utf-8" }).end("geen toegang");
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`niet gevonden: ${path}`);
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      ok();
    });
  });
  const addr = server.address();
  const actual = typeof addr === "object" && addr ? addr.port : port;
  return {
    url: `http://${host}:${actual}/`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

export function parsePort(port: string): number {
  if (!/^\d+$/.test(port) || Number(port) > 65535) throw new UserError(`--port moet een getal van 0 tot en met 65535 zijn, niet "${port}"`);
  return Number(port);
}

export async function serveCommand(opts: ServeOptions): Promise<void> {
  const port = parsePort(opts.port ?? "8080");
  const dir = resolve(opts.dir ?? "dist");
  if (!existsSync(join(dir, "index.html"))) {
    throw new UserError(`geen dashboard gevonden in ${dir} (index.html ontbreekt); bouw het eerst met: npm start`);
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(dir, port);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UserError(`poort ${port} is al in gebruik; kies een andere, bijvoorbeeld: --port ${port + 1}`);
    if (code === "EACCES")
      throw new UserError(`poort ${port} mag niet worden gebruikt; kies een poort boven 1024, bijvoorbeeld: --port 8080`);
    throw e;
  }
  process.stdout.write(`Dashboard op ${server.url}  (map ${dir}; stoppen met Ctrl+C)\n`);
  // keep running until interrupted
  await new Promise<void>((ok) => {
    const stop = () => {
      void server.close().then(ok);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
