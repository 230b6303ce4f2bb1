// The SDK in a real browser (node:test + playwright-core + Debian's chromium):
// Momento's browser flow. A server-side client (the package under Node, with
// NODE_EXTRA_CA_CERTS) mints a disposable token; a page on
// http://localhost:PORT imports the package's browser bundle and, from that
// token alone, sets, gets and uses a sorted set against `serve` over TLS
// (CORS). Chromium trusts the dev CA through an NSS database in its own HOME.
// Skipped, saying why, where chromium, certutil or playwright-core is missing.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromiumSkipReason, launchChromium, trustCa } from "./_chromium.mjs";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const project = process.env.KVOLT_SDK_PROJECT;

function whySkip() {
  if (project === undefined) return "KVOLT_SDK_PROJECT is not set";
  return chromiumSkipReason(project);
}

/** `serve` over TLS on a free port; its data dir holds the dev CA. */
async function startServe(dataDir) {
  const child = spawn(
    process.env.DENO_EXEC_PATH ?? "deno",
    [
      "run",
      "-A",
      "main.ts",
      "serve",
      "--port",
      "0",
      "--capacity",
      "16MiB",
      "--data",
      dataDir,
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = once(child, "exit");
  const lines = createInterface({ input: child.stdout });
  let url;
  for await (const line of lines) {
    const ready = /^kvolt ready: listening on (\S+)/.exec(line);
    if (ready) {
      url = ready[1];
      break;
    }
  }
  if (!url) throw new Error("serve exited before it was ready");
  lines.on("line", () => {});
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Mints a disposable token with the package's AuthClient, in a Node process trusting the CA. */
async function mintToken(dataDir) {
  const script = `
    import { AuthClient, CredentialProvider, DisposableTokenScopes, ExpiresIn } from "@kvolt/kvolt";
    import { readFileSync } from "node:fs";
    const apiKey = readFileSync(${
    JSON.stringify(join(dataDir, "api-key"))
  }, "utf8").trim();
    const auth = new AuthClient({ credentialProvider: CredentialProvider.fromString({ apiKey }) });
    const minted = await auth.generateDisposableToken(
      DisposableTokenScopes.cacheReadWrite("default"), ExpiresIn.minutes(10));
    if (minted.type !== "Success") throw new Error(minted.toString());
    process.stdout.write(minted.authToken);
  `;
  const { stdout } = await run("node", ["--input-type=module", "-e", script], {
    cwd: project,
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: join(dataDir, "tls", "ca.pem"),
    },
  });
  return stdout.trim();
}

const PAGE = (token) =>
  `<!doctype html>
<title>kvolt in a browser</title>
<script type="module">
  import {
    CacheClient, CacheGet, Configurations, CredentialProvider,
  } from "/kvolt.browser.mjs";
  try {
    const client = new CacheClient({
      configuration: Configurations.Browser.v1(),
      credentialProvider: CredentialProvider.fromString({ authToken: ${
    JSON.stringify(token)
  } }),
      defaultTtlSeconds: 60,
    });
    const set = await client.set("default", "browser-key", "from a page");
    const got = await client.get("default", "browser-key");
    await client.sortedSetPutElements("default", "browser-board", { ada: 3, bob: 1 });
    const board = await client.sortedSetFetchByRank("default", "browser-board");
    globalThis.__results = {
      set: set.type,
      got: got instanceof CacheGet.Hit ? got.valueString() : got.toString(),
      board: board.type === "Hit" ? board.valueArray() : board.toString(),
    };
  } catch (err) {
    globalThis.__results = { error: String(err && err.stack || err) };
  }
</script>`;

test(
  "the browser bundle in headless Chromium: set, get and a sorted set with a disposable token",
  {
    skip: whySkip(),
    timeout: 120_000,
  },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), "kvolt-browser-"));
    const dataDir = join(dir, "data");
    const home = join(dir, "home");
    const serve = await startServe(dataDir);
    let browser;
    let site;
    try {
      await trustCa(home, join(dataDir, "tls", "ca.pem"));

      const token = await mintToken(dataDir);
      const bundle = await readFile(
        join(project, "node_modules", "@kvolt", "kvolt", "kvolt.browser.mjs"),
      );
      site = createServer((req, res) => {
        if (req.url === "/kvolt.browser.mjs") {
          res.writeHead(200, { "content-type": "text/javascript" });
          res.end(bundle);
        } else {
          res.writeHead(200, { "content-type": "text/html" });
          res.end(PAGE(token));
        }
      });
      site.listen(0, "127.0.0.1");
      await once(site, "listening");
      const pagePort = site.address().port;

      browser = await launchChromium(project, home);
      const page = await browser.newPage();
      const errors = [];
      page.on("pageerror", (err) => errors.push(String(err)));
      await page.goto(`http://localhost:${pagePort}/`);
      await page.waitForFunction(
        () => globalThis.__results !== undefined,
        null,
        {
          timeout: 60_000,
        },
      );
      const results = await page.evaluate(() => globalThis.__results);
      assert.deepEqual(errors, []);
      assert.deepEqual(results, {
        set: "Success",
        got: "from a page",
        board: [{ value: "bob", score: 1 }, { value: "ada", score: 3 }],
      });
    } finally {
      await browser?.close();
      site?.close();
      await serve.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
