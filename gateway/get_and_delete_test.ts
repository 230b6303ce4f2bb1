/**
 * `getAndDelete` (Redis's GETDEL), the operation added to show the seam: one
 * catalogue entry plus its store code, and it works through the JSON API,
 * the pipeline, the OpenAPI document, token scopes and the write hook, over
 * every store this suite runs on.
 *
 * @module
 */

import assert from "node:assert/strict";
import { jsonGateway, readError } from "./_json_api_test_utils.ts";

const TTL = 60_000;

Deno.test("getAndDelete: returns the value and removes it, then Miss", async () => {
  const g = await jsonGateway();
  const changes: string[] = [];
  g.store.onChange((c) => changes.push(c.op));
  await g.ok("set", { key: "a", value: { base64: "AP8=" }, ttlMs: TTL });
  assert.deepEqual(await g.ok("getAndDelete", { key: "a" }), {
    type: "Hit",
    value: { base64: "AP8=" },
  });
  assert.deepEqual(await g.ok("get", { key: "a" }), { type: "Miss" });
  assert.deepEqual(await g.ok("getAndDelete", { key: "a" }), { type: "Miss" });
  // the write hook sees it (replication and hot keys attach there)
  assert.deepEqual(changes, ["set", "getAndDelete", "getAndDelete"]);
});

Deno.test("getAndDelete: a collection is FAILED_PRECONDITION and stays", async () => {
  const g = await jsonGateway();
  await g.ok("listPushBack", { key: "l", value: "x", ttlMs: TTL });
  const seen = await readError(await g.call("getAndDelete", { key: "l" }));
  assert.equal(seen.status, 412);
  assert.equal(seen.code, "FAILED_PRECONDITION_ERROR");
  assert.deepEqual(await g.ok("listLength", { key: "l" }), {
    type: "Hit",
    length: 1,
  });
});

Deno.test("getAndDelete: validated, scoped and limited like every operation", async () => {
  const g = await jsonGateway();
  const bad = await readError(await g.call("getAndDelete", { key: 1 }));
  assert.equal(bad.status, 400);
  assert.match(bad.message, /key/);
  const empty = await readError(await g.call("getAndDelete", { key: "" }));
  assert.equal(empty.code, "INVALID_ARGUMENT_ERROR");
  // it writes and returns state: readwrite only
  await g.ok("set", { key: "k", value: "v", ttlMs: TTL });
  for (const role of ["readonly", "writeonly"] as const) {
    const token = await g.tokenFor([{ role, cache: { name: "orders" } }]);
    const seen = await readError(
      await g.call("getAndDelete", { key: "k" }, { token }),
    );
    assert.equal(seen.status, 403, role);
  }
  assert.deepEqual(await g.ok("get", { key: "k" }), {
    type: "Hit",
    value: "v",
  });
});

Deno.test("getAndDelete: in a pipeline, in order with the other operations", async () => {
  const g = await jsonGateway();
  const res = await g.pipeline({
    ops: [
      {
        cache: "orders",
        op: "set",
        args: { key: "p", value: "1", ttlMs: TTL },
      },
      { cache: "orders", op: "getAndDelete", args: { key: "p" } },
      { cache: "orders", op: "getAndDelete", args: { key: "p" } },
      { cache: "orders", op: "get", args: { key: "p" } },
    ],
  });
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).results, [
    { type: "Success" },
    { type: "Hit", value: "1" },
    { type: "Miss" },
    { type: "Miss" },
  ]);
});

Deno.test("getAndDelete: documented in the OpenAPI document", async () => {
  const g = await jsonGateway();
  const doc = await (await g.app.request("/openapi.json")).json();
  const path = doc.paths["/v1/cache/{cache}/getAndDelete"]?.post;
  assert.ok(path);
  assert.equal(path.operationId, "getAndDelete");
  assert.match(path.summary, /GETDEL/);
  assert.match(path.description, /readwrite/);
  assert.match(path.description, /Not idempotent/);
});
