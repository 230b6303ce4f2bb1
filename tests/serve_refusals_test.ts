/**
 * End to end: `main.ts serve` refusing to start (plaintext on a public host,
 * a bad flag, a busy port, damaged state, too large a capacity) exits with a
 * clear message, creates nothing and leaves the data as it was.
 */

import assert from "node:assert/strict";
import { MAIN, runToExit, serveArgs } from "./_server.ts";

Deno.test("serve --http on a non-loopback host is refused with a non-zero exit", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-refused-" });
  try {
    const { code, stdout, stderr } = await runToExit(
      Deno.execPath(),
      serveArgs(dataDir, "--http", "--host", "0.0.0.0"),
    );
    assert.notEqual(code, 0);
    assert.match(stderr, /Refusing to serve plaintext HTTP on 0\.0\.0\.0/);
    assert.doesNotMatch(stdout, /ready/);
    assert.deepEqual([...Deno.readDirSync(dataDir)], [], "nothing was created");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("serve with a bad flag exits 2 with the usage", async () => {
  const { code, stderr } = await runToExit(Deno.execPath(), [
    "run",
    "-A",
    MAIN,
    "serve",
    "--port",
    "nope",
  ]);
  assert.equal(code, 2);
  assert.match(stderr, /Invalid --port/);
  assert.match(stderr, /Usage: kvolt/);
});

Deno.test("serve on a port in use exits 1 with a clear message", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-busy-" });
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const { code, stderr } = await runToExit(Deno.execPath(), [
      "run",
      "-A",
      MAIN,
      "serve",
      "--http",
      "--data",
      dataDir,
      "--port",
      String(busy.addr.port),
    ]);
    assert.equal(code, 1);
    assert.match(stderr, /the address is in use/);
  } finally {
    busy.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("serve with a damaged caches.json exits 1 naming the file, no stack trace", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-damaged-" });
  try {
    await Deno.writeTextFile(`${dataDir}/caches.json`, "{not json");
    const { code, stdout, stderr } = await runToExit(
      Deno.execPath(),
      serveArgs(dataDir, "--http"),
    );
    assert.equal(code, 1);
    assert.match(
      stderr,
      /kvolt: Cannot load cache list: .*caches\.json: not valid JSON/,
    );
    assert.doesNotMatch(stderr, /Uncaught| {4}at /);
    assert.doesNotMatch(stdout, /ready/);
    assert.equal(
      await Deno.readTextFile(`${dataDir}/caches.json`),
      "{not json",
      "left as it was",
    );
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("serve refuses a capacity larger than the machine's memory (exit 1)", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-capacity-" });
  try {
    const { code, stdout, stderr } = await runToExit(
      Deno.execPath(),
      serveArgs(dataDir, "--http", "--capacity", "4096GiB"),
    );
    assert.equal(code, 1);
    assert.match(
      stderr,
      /kvolt: Cannot use --capacity 4TiB|kvolt: Cannot use --capacity 4096GiB/,
    );
    assert.doesNotMatch(stdout, /ready/);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
