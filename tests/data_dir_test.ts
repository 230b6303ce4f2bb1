/**
 * The data dir under a real `serve`: temp files of killed writes removed and
 * loose secrets tightened at start, and a data dir that cannot be written
 * answered 503 with the file and errno, the server still serving.
 */

import assert from "node:assert/strict";
import { serveArgs, startServer } from "./_server.ts";

Deno.test("start removes temp files of interrupted writes and tightens loose secrets", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-datadir-" });
  try {
    let server = await startServer(
      Deno.execPath(),
      serveArgs(dataDir, "--http"),
    );
    await server.stop();
    const stale = `${dataDir}/.${crypto.randomUUID()}.tmp`;
    await Deno.writeTextFile(stale, "{half");
    await Deno.chmod(`${dataDir}/signing-key.jwk`, 0o644);
    server = await startServer(Deno.execPath(), serveArgs(dataDir, "--http"));
    try {
      const banner = server.banner.join("\n");
      assert.match(
        banner,
        /removed 1 temp file\(s\) left by an interrupted write/,
      );
      assert.match(
        banner,
        /signing-key\.jwk was readable by others \(mode 0644\): changed to 0600/,
      );
      await assert.rejects(() => Deno.stat(stale), Deno.errors.NotFound);
      assert.equal(
        (await Deno.stat(`${dataDir}/signing-key.jwk`)).mode! & 0o777,
        0o600,
      );
    } finally {
      await server.stop();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a data dir that cannot be written: control writes answer 503 naming the file; data keeps working", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-datadir-" });
  const server = await startServer(
    Deno.execPath(),
    serveArgs(dataDir, "--http"),
  );
  try {
    const auth = { authorization: server.apiKey };
    // Root writes anywhere: a directory in the file's place fails for anyone.
    await Deno.remove(`${dataDir}/caches.json`);
    await Deno.mkdir(`${dataDir}/caches.json/blocker`, { recursive: true });
    const res = await fetch(`${server.url}/v1/caches/orders`, {
      method: "PUT",
      headers: auth,
    });
    assert.equal(res.status, 503);
    const body = await res.json();
    assert.equal(body.error.code, "SERVER_UNAVAILABLE");
    assert.equal(body.error.cause, `EISDIR ${dataDir}/caches.json`);
    assert.match(body.error.message, /caches\.json: EISDIR/);
    const list =
      await (await fetch(`${server.url}/v1/caches`, { headers: auth })).json();
    assert.ok(
      !JSON.stringify(list).includes("orders"),
      "the change was undone",
    );
    const put = await fetch(
      `${server.url}/cache/default?key=k&ttl_seconds=60`,
      {
        method: "PUT",
        headers: auth,
        body: "v",
      },
    );
    assert.equal(put.status, 204);
    await put.body?.cancel();
  } finally {
    const { stderr } = await server.stop();
    assert.match(stderr, /Cannot write .*caches\.json: EISDIR/);
    await Deno.remove(dataDir, { recursive: true });
  }
});
