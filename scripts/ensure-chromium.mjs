// The browser tests drive Debian's Chromium (npm browser downloads are blocked here).
// Install it when missing and we are root (fresh machine, CI); otherwise say how.
import { existsSync } from "node:fs";
import { execSync } from "node:child_process";

const BIN = "/usr/bin/chromium";
if (!existsSync(BIN)) {
  if (process.getuid?.() === 0) {
    console.log("chromium ontbreekt; installeren met apt-get (eenmalig)…");
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null", {
      stdio: "inherit",
      shell: "/bin/bash",
    });
  } else {
    console.error(`${BIN} ontbreekt: installeer het Debian-pakket 'chromium' (sudo apt-get install chromium).`);
    process.exit(1);
  }
}
