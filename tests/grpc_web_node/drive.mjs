// Drives headless Chromium for tests/grpc_browser_test.ts: opens the page,
// calls the bundle's kvoltRun with the options given, and prints
// {"results", "pageErrors", "consoleErrors"} as JSON on its last line of output.
//
// node drive.mjs PROJECT CA_FILE PAGE_URL OPTIONS_JSON
//   PROJECT: a Node project with playwright-core installed
//   CA_FILE: kvolt's dev CA, which Chromium is made to trust
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium, trustCa } from "../node/_chromium.mjs";

const [project, caFile, pageUrl, options] = process.argv.slice(2);
const home = await mkdtemp(join(tmpdir(), "kvolt-grpc-web-home-"));
let browser;
try {
  await trustCa(home, caFile);
  browser = await launchChromium(project, home);
  const page = await browser.newPage();
  const pageErrors = [];
  page.on("pageerror", (err) => pageErrors.push(String(err)));
  // what the browser refused (CORS, TLS) shows only in its console
  const consoleErrors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(msg.text());
  });
  await page.goto(pageUrl);
  const results = await page.evaluate(
    (opts) => globalThis.kvoltRun(opts),
    JSON.parse(options),
  );
  console.log(JSON.stringify({ results, pageErrors, consoleErrors }));
} finally {
  await browser?.close();
  await rm(home, { recursive: true, force: true });
}
