/**
 * Momento's official browser SDK (`@gomomento/sdk-web` 1.118.0, installed
 * with `npm ci` from `tests/grpc_web_node/` and bundled for the page with
 * esbuild) in headless Debian Chromium (playwright-core) against `serve` over
 * TLS: the page on http://localhost:PORT speaks grpc-web-text to kvolt's HTTP
 * port on https://localhost:PORT (CORS), with the dev CA trusted through an
 * NSS database. It sets and gets a string and bytes, misses, puts and fetches
 * a sorted set, and reads from a missing cache (NOT_FOUND); what the browser
 * wrote is then read through kvolt's HTTP API. Skipped, saying why, without
 * chromium, certutil, node or npm.
 */

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { hasTool, installNodeProject, run } from "./_node_project.ts";
import { serveArgs, startServer } from "./_server.ts";

const NODE_PROJECT = new URL("./grpc_web_node/", import.meta.url);
const DRIVER = new URL("./grpc_web_node/drive.mjs", import.meta.url).pathname;
const CHROMIUM = Deno.env.get("KVOLT_CHROMIUM") ?? "/usr/bin/chromium";

async function skipReason(): Promise<string | undefined> {
  if (!existsSync(CHROMIUM)) return `no chromium at ${CHROMIUM} (apt chromium)`;
  if (!existsSync("/usr/bin/certutil")) {
    return "no certutil (apt libnss3-tools)";
  }
  if (!(await hasTool("node") && await hasTool("npm"))) {
    return "no node or npm";
  }
  return undefined;
}

const skipped = await skipReason();
if (skipped) console.log(`skipped: grpc_browser_test: ${skipped}`);

/** The page: the bundle, which defines `kvoltRun` for the driver to call. */
const PAGE = `<!doctype html>
<title>Momento's browser SDK against kvolt</title>
<script src="/sdk.js"></script>`;

Deno.test({
  name: skipped
    ? `grpc-web: Momento's browser SDK in Chromium (skipped: ${skipped})`
    : "grpc-web: Momento's browser SDK in Chromium sets, gets and uses a sorted set over TLS",
  ignore: skipped !== undefined,
  fn: async () => {
    const project = await installNodeProject(
      NODE_PROJECT,
      "kvolt-grpc-web-sdk-",
    );
    const data = await Deno.makeTempDir({ prefix: "kvolt-grpc-web-data-" });
    let server;
    let site: Deno.HttpServer<Deno.NetAddr> | undefined;
    let client: Deno.HttpClient | undefined;
    try {
      const bundle = join(project, "sdk.js");
      await run(
        join(project, "node_modules", ".bin", "esbuild"),
        [
          "page.mjs",
          "--bundle",
          "--format=iife",
          "--platform=browser",
          `--outfile=${bundle}`,
          "--log-level=warning",
        ],
        project,
      );
      const script = await Deno.readFile(bundle);

      server = await startServer(Deno.execPath(), serveArgs(data));
      const ca = join(data, "tls", "ca.pem");
      client = Deno.createHttpClient({
        caCerts: [await Deno.readTextFile(ca)],
      });
      const http = (path: string, init: RequestInit = {}) =>
        fetch(`${server!.url}${path}`, {
          ...init,
          headers: { authorization: server!.apiKey },
          client,
        });
      const created = await http("/v1/caches/browser", { method: "PUT" });
      await created.body?.cancel();
      assert.equal(created.status, 201);

      site = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen: () => {} },
        (req) =>
          new URL(req.url).pathname === "/sdk.js"
            ? new Response(script, {
              headers: { "content-type": "text/javascript" },
            })
            : new Response(PAGE, { headers: { "content-type": "text/html" } }),
      );
      const port = new URL(server.url).port;
      const stdout = await run(
        "node",
        [
          DRIVER,
          project,
          ca,
          `http://localhost:${site.addr.port}/`,
          JSON.stringify({
            apiKey: server.apiKey,
            // the dev certificate names localhost
            endpoint: `localhost:${port}`,
            cache: "browser",
          }),
        ],
        project,
      );
      const out = JSON.parse(stdout.trim().split("\n").at(-1)!);
      for (const line of out.consoleErrors) console.error(`chromium: ${line}`);
      assert.deepEqual(out.consoleErrors, []);
      assert.deepEqual(out.pageErrors, []);
      assert.deepEqual(out.results, {
        set: "Success",
        get: "from a browser",
        setBytes: "Success",
        getBytes: [0, 255, 1, 254, 10, 13, 61],
        miss: "Miss",
        sortedSetPutElement: "Success",
        sortedSetPutElements: "Success",
        sortedSetFetchByRank: [
          { value: "bob", score: 1 },
          { value: "cy", score: 2 },
          { value: "ada", score: 3 },
        ],
        noCache: "NOT_FOUND_ERROR",
      });

      // the same store through kvolt's HTTP API
      const got = await http("/cache/browser?key=browser-key");
      assert.equal(await got.text(), "from a browser");
      const board = await http("/v1/cache/browser/sortedSetFetchByRank", {
        method: "POST",
        body: JSON.stringify({ key: "browser-board" }),
      });
      assert.deepEqual(await board.json(), {
        type: "Hit",
        elements: [
          { value: "bob", score: 1 },
          { value: "cy", score: 2 },
          { value: "ada", score: 3 },
        ],
      });
    } finally {
      await site?.shutdown();
      client?.close();
      await server?.stop();
      await Deno.remove(data, { recursive: true });
      await Deno.remove(project, { recursive: true });
    }
  },
});
