// Headless Debian Chromium for the browser tests (tests/node/sdk_browser.mjs,
// tests/grpc_web_node/drive.mjs), under Node: why a test must be skipped,
// a HOME whose NSS database trusts kvolt's dev CA (Chromium reads trust from
// $HOME/.pki/nssdb, not the system store), and the launch itself through
// playwright-core installed in a given Node project.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Debian's chromium, or the one named by KVOLT_CHROMIUM. */
export const CHROMIUM = process.env.KVOLT_CHROMIUM ?? "/usr/bin/chromium";
const CERTUTIL = "/usr/bin/certutil";

/**
 * Why Chromium cannot be driven here, or false when it can.
 *
 * @param {string} project a Node project with playwright-core installed
 * @returns {string | false}
 */
export function chromiumSkipReason(project) {
  if (!existsSync(CHROMIUM)) return `no chromium at ${CHROMIUM} (apt chromium)`;
  if (!existsSync(CERTUTIL)) return "no certutil (apt libnss3-tools)";
  if (!existsSync(join(project, "node_modules", "playwright-core"))) {
    return "playwright-core is not installed";
  }
  return false;
}

/**
 * Makes `home` a HOME whose NSS database trusts the CA in `caFile`.
 *
 * @param {string} home a new directory's path
 * @param {string} caFile the PEM of the CA (kvolt's `tls/ca.pem`)
 */
export async function trustCa(home, caFile) {
  const nssdb = join(home, ".pki", "nssdb");
  await mkdir(nssdb, { recursive: true });
  await run(CERTUTIL, ["-d", `sql:${nssdb}`, "-N", "--empty-password"]);
  await run(CERTUTIL, [
    "-d",
    `sql:${nssdb}`,
    "-A",
    "-t",
    "C,,",
    "-n",
    "kvolt-dev-ca",
    "-i",
    caFile,
  ]);
}

/**
 * Launches headless Chromium with `home` as its HOME.
 *
 * @param {string} project a Node project with playwright-core installed
 * @param {string} home made by {@link trustCa}
 * @returns the playwright Browser (close it)
 */
export async function launchChromium(project, home) {
  const { chromium } = await import(
    pathToFileURL(join(project, "node_modules", "playwright-core", "index.mjs"))
      .href
  );
  return await chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, HOME: home },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
