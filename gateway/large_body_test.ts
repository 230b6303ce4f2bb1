/**
 * Large JSON bodies are parsed and run in slices (`json_slices.ts`,
 * `pipeline.ts`): the answers must be exactly those of the one-go path, a
 * malformed body must run nothing, and unknown fields are refused before the
 * rest of the body is built.
 */

import assert from "node:assert/strict";
import { jsonGateway, readError } from "./_json_api_test_utils.ts";
import { PIECE_CHARS } from "./json_slices.ts";

const TTL = 60_000;

function entries(n: number) {
  const ops: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const fields = Array.from({ length: 40 }, (_, f) => ({
      field: `f${f}`,
      value: `v${i}-${f}`,
    }));
    ops.push({
      cache: "orders",
      op: "dictionarySetFields",
      args: { key: `d${i % 7}`, fields, ttlMs: TTL },
    });
    ops.push({
      cache: "orders",
      op: "set",
      args: { key: `k${i}`, value: `${i}`, ttlMs: TTL },
    });
    ops.push({ cache: "orders", op: "get", args: { key: `k${i}` } });
    ops.push({ cache: "orders", op: "get", args: { key: `k${i + 1}` } });
    ops.push({
      cache: "orders",
      op: "dictionaryGetField",
      args: { key: `d${i % 7}`, field: "f3" },
    });
    if (i % 50 === 0) {
      ops.push({ cache: "orders", op: "get", args: { key: 1 } });
    }
  }
  return ops;
}

Deno.test("a large pipeline answers exactly as the same entries in small pipelines", async () => {
  const ops = entries(200);
  const body = JSON.stringify({ ops: ops.slice(0, 1000) });
  assert.ok(body.length > 4 * PIECE_CHARS, "large enough to be sliced");
  const large = await jsonGateway();
  const res = await large.pipeline(body);
  assert.equal(res.status, 200);
  const sliced: { error?: unknown; type?: string }[] =
    (await res.json()).results;

  const small = await jsonGateway();
  const oneByOne: unknown[] = [];
  for (const op of ops.slice(0, 1000)) {
    const r = await small.pipeline({ ops: [op] });
    assert.equal(r.status, 200);
    oneByOne.push(...(await r.json()).results);
  }
  assert.deepEqual(sliced, oneByOne);
  assert.ok(sliced.some((r: { error?: unknown }) => r.error !== undefined));
  assert.ok(sliced.some((r: { type?: string }) => r.type === "Hit"));
});

Deno.test("a large pipeline that is not valid JSON to its end runs nothing", async () => {
  const g = await jsonGateway();
  const body = JSON.stringify({ ops: entries(150) });
  for (
    const broken of [
      body.slice(0, -3), // cut off
      body.slice(0, -2) + ",]}", // trailing comma
      body + "x", // data after the value
      body.replace('"op":"set"', '"op":"set",,'), // an entry broken midway
    ]
  ) {
    const seen = await readError(await g.pipeline(broken));
    assert.equal(seen.status, 400);
    assert.match(seen.message, /^Invalid request body: not JSON: /);
  }
  const probe = await g.ok("get", { key: "k0" });
  assert.deepEqual(probe, { type: "Miss" }, "no entry ran");
});

Deno.test("a large pipeline of the wrong shape gets the small one's errors", async () => {
  const g = await jsonGateway();
  const pad = "x".repeat(PIECE_CHARS);
  const cases: [string, string][] = [
    [`{"extra":"${pad}","ops":[]}`, "Invalid argument: extra: unknown field"],
    [
      `{"ops":"${pad}"}`,
      "Invalid argument: ops: expected an array of operations",
    ],
    [`{"ops":[],"x":"${pad}"}`, "Invalid argument: x: unknown field"],
    [`["${pad}"]`, 'Invalid argument: body: expected {"ops": [...]}'],
  ];
  for (const [body, message] of cases) {
    const seen = await readError(await g.pipeline(body));
    assert.equal(seen.status, 400, body.slice(0, 30));
    assert.equal(seen.message, message);
  }
  const tooMany = JSON.stringify({
    ops: Array.from(
      { length: 1001 },
      (_, i) => ({
        cache: "orders",
        op: "get",
        args: { key: `${i}`.padEnd(80, "k") },
      }),
    ),
  });
  assert.ok(tooMany.length > PIECE_CHARS);
  assert.match(
    (await readError(await g.pipeline(tooMany))).message,
    /at most 1000 operations in a pipeline: received 1001/,
  );
});

Deno.test("an unknown field in a large JSON API body is refused, naming it", async () => {
  const g = await jsonGateway();
  const parts = ['{"key":"k"'];
  for (let i = 0; i < 100_000; i++) parts.push(`,"f${i}":0`);
  parts.push("}");
  const seen = await readError(await g.call("get", parts.join("")));
  assert.equal(seen.status, 400);
  assert.equal(seen.message, "Invalid argument: f0: unknown field");
  // A large valid body still works: a 1 MB value.
  const value = "v".repeat(1 << 20);
  assert.deepEqual(await g.ok("set", { key: "big", value, ttlMs: TTL }), {
    type: "Success",
  });
  assert.deepEqual(await g.ok("get", { key: "big" }), { type: "Hit", value });
});
