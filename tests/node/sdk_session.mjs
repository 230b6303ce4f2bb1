// The SDK under Node (node:test): imports the bundled SDK (KVOLT_SDK_BUNDLE,
// built by tests/node/run.ts) and runs a real session against a
// `serve --http` it starts on a free loopback port with its own data dir
// (Deno from DENO_EXEC_PATH), stopped at the end. KVOLT_URL and KVOLT_API_KEY
// point it at a running server instead.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const bundle = process.env.KVOLT_SDK_BUNDLE ??
  join(ROOT, "dist", "sdk", "kvolt.mjs");
const sdk = await import(pathToFileURL(bundle).href);

/** Starts `serve --http` and resolves once its ready line is printed. */
async function startServe() {
  const dataDir = await mkdtemp(join(tmpdir(), "kvolt-node-"));
  const child = spawn(
    process.env.DENO_EXEC_PATH ?? "deno",
    [
      "run",
      "-A",
      "main.ts",
      "serve",
      "--http",
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
  let apiKey = "";
  let previous = "";
  let url;
  for await (const line of lines) {
    if (previous.startsWith("kvolt: super-user API key")) apiKey = line.trim();
    previous = line;
    const ready = /^kvolt ready: listening on (\S+)/.exec(line);
    if (ready) {
      url = ready[1];
      break;
    }
  }
  if (!url) throw new Error("Server exited before it was ready");
  lines.on("line", () => {}); // keep draining stdout
  return {
    url,
    apiKey,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let server;
let client;

before(async () => {
  server = process.env.KVOLT_URL
    ? {
      url: process.env.KVOLT_URL,
      apiKey: process.env.KVOLT_API_KEY,
      stop() {},
    }
    : await startServe();
  client = new sdk.CacheClient({
    credentialProvider: sdk.CredentialProvider.fromString({
      apiKey: server.apiKey,
    }),
    configuration: sdk.Configurations.Laptop.v1(),
    defaultTtlSeconds: 60,
    baseUrl: server.url,
  });
});

after(async () => {
  client?.close();
  await server?.stop();
});

test("a session through the bundled SDK", async () => {
  const cache = "node-cache";
  assert.equal((await client.createCache(cache)).type, "Success");
  await client.ping();

  assert.equal((await client.set(cache, "k", "v")).type, "Success");
  const hit = await client.get(cache, "k");
  assert.ok(hit instanceof sdk.CacheGet.Hit);
  assert.equal(hit.valueString(), "v");
  assert.equal((await client.delete(cache, "k")).type, "Success");
  assert.equal((await client.get(cache, "k")).type, sdk.CacheGetResponse.Miss);

  const big = "node ".repeat(300);
  await client.set(cache, "z", big, { compress: true });
  const back = await client.get(cache, "z");
  assert.equal(back.valueString(), big);
  const raw = await client.get(cache, "z", { decompress: false });
  assert.deepEqual([...raw.valueUint8Array().subarray(0, 4)], [
    0x28,
    0xb5,
    0x2f,
    0xfd,
  ]);

  await client.dictionarySetFields(cache, "d", { a: "1", b: "2" });
  const dict = await client.dictionaryFetch(cache, "d");
  assert.deepEqual(dict.valueRecord(), { a: "1", b: "2" });

  await client.listConcatenateBack(cache, "l", ["x", "y"]);
  await client.listPushFront(cache, "l", "w");
  assert.deepEqual((await client.listFetch(cache, "l")).valueList(), [
    "w",
    "x",
    "y",
  ]);

  await client.setAddElements(cache, "s", ["p", "q"]);
  const set = await client.setFetch(cache, "s");
  assert.deepEqual(set.valueArray().sort(), ["p", "q"]);

  await client.sortedSetPutElements(cache, "ss", { lo: 1, hi: 9 });
  const ranked = await client.sortedSetFetchByRank(cache, "ss");
  assert.deepEqual(ranked.valueArray(), [
    { value: "lo", score: 1 },
    { value: "hi", score: 9 },
  ]);

  const missing = await client.get("no-such-cache", "k");
  assert.equal(missing.type, "Error");
  assert.equal(missing.errorCode(), sdk.MomentoErrorCode.CACHE_NOT_FOUND_ERROR);

  assert.equal((await client.deleteCache(cache)).type, "Success");
});
