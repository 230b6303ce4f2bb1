import assert from "node:assert/strict";
import { OP_NAMES, type OpName } from "../protocol/operations.ts";
import {
  type JsonGateway,
  jsonGateway,
  readError,
  sampleArgs,
} from "./_json_api_test_utils.ts";

const TTL = 60_000;

/** No item was created under `key` (nor its union source). */
async function assertUntouched(g: JsonGateway, key: string, what: string) {
  const seen = await g.ok("keysExist", { keys: [key, `${key}-src`] });
  assert.deepEqual(
    seen,
    { type: "Success", exists: [false, false] },
    `${what} stored something`,
  );
}

async function expect400(
  g: JsonGateway,
  op: string,
  body: unknown,
  field: RegExp,
) {
  const seen = await readError(await g.call(op, body));
  assert.equal(seen.status, 400, `${op} ${JSON.stringify(body)}`);
  assert.equal(seen.code, "INVALID_ARGUMENT_ERROR");
  assert.match(seen.message, field, `${op}: ${seen.message}`);
}

Deno.test("every operation refuses bad arguments with 400 naming the field, storing nothing", async () => {
  const g = await jsonGateway();
  for (const op of OP_NAMES) {
    const key = `bad-${op}`;
    const good = sampleArgs(key)[op];
    await expect400(g, op, {}, /^Invalid argument: (key|keys|items): missing$/);
    await expect400(
      g,
      op,
      { ...good, bogus: 1 },
      /^Invalid argument: bogus: unknown field$/,
    );
    await expect400(g, op, [], /^Invalid argument: arguments: expected object/);
    await expect400(g, op, "null", /^Invalid argument: arguments: /);
    if ("key" in good) {
      await expect400(
        g,
        op,
        { ...good, key: 5 },
        /^Invalid argument: key: expected a string or \{"base64"/,
      );
      await expect400(
        g,
        op,
        { ...good, key: { base64: "a" } },
        /^Invalid argument: key: not standard or URL-safe base64$/,
      );
      await expect400(
        g,
        op,
        { ...good, key: { base64: "AA", x: 1 } },
        /^Invalid argument: key\.x: unknown field$/,
      );
      await expect400(
        g,
        op,
        { ...good, key: "" },
        /^Invalid argument: key: a key must not be empty$/,
      );
      await expect400(
        g,
        op,
        { ...good, key: "\ud800" },
        /^Invalid argument: key: not well-formed Unicode text$/,
      );
    }
    if ("ttlMs" in good) {
      for (const ttlMs of [0, -1, 1.5, "60", null, 86_400_001]) {
        await expect400(
          g,
          op,
          { ...good, ttlMs },
          /^Invalid argument: ttlMs: /,
        );
      }
    }
    await assertUntouched(g, key, op);
  }
});

Deno.test("wrong types deeper in the arguments name their path", async () => {
  const g = await jsonGateway();
  const cases: [OpName, unknown, RegExp][] = [
    ["setBatch", {
      items: [{ key: "a", value: "b", ttlMs: TTL }, {
        key: "a",
        value: 7,
        ttlMs: TTL,
      }],
    }, /^Invalid argument: items\.1\.value: /],
    [
      "setBatch",
      { items: [{ key: "a", value: "b", ttlMs: 0 }] },
      /^Invalid argument: items\.0\.ttlMs: /,
    ],
    [
      "setBatch",
      { items: [{ key: "a", value: "b", ttlMs: 86_400_001 }] },
      /^Invalid argument: items\.0\.ttlMs: expected an integer from 1 to 86400000: received 86400001$/,
    ],
    [
      "dictionarySetFields",
      { key: "d", fields: [{ field: "f" }], ttlMs: TTL },
      /^Invalid argument: fields\.0\.value: missing$/,
    ],
    ["sortedSetPutElements", {
      key: "z",
      elements: [{ value: "a", score: "1" }],
      ttlMs: TTL,
    }, /^Invalid argument: elements\.0\.score: expected number/],
    [
      "sortedSetFetchByRank",
      { key: "z", order: "UP" },
      /^Invalid argument: order: /,
    ],
    [
      "listFetch",
      { key: "l", startIndex: 0.5 },
      /^Invalid argument: startIndex: expected int/,
    ],
    ["setPop", { key: "s", count: 0 }, /^Invalid argument: count: /],
    ["setSample", { key: "s", limit: -1 }, /^Invalid argument: limit: /],
    [
      "increment",
      { key: "c", amount: 2 ** 60, ttlMs: TTL },
      /^Invalid argument: amount: /,
    ],
    ["keysExist", { keys: "a" }, /^Invalid argument: keys: expected array/],
    [
      "sortedSetUnionStore",
      { key: "u", sources: [], ttlMs: TTL },
      /^Invalid argument: sources: at least one source is required$/,
    ],
    [
      "sortedSetUnionStore",
      { key: "u", sources: [{ key: "a", weight: null }], ttlMs: TTL },
      /^Invalid argument: sources\.0\.weight: weight must be a finite number$/,
    ],
    ["dictionarySetField", {
      key: "d",
      field: "f",
      value: "v",
      ttlMs: TTL,
      refreshTtl: "yes",
    }, /^Invalid argument: refreshTtl: /],
    ["sortedSetUnionStore", {
      key: "u",
      sources: [{ key: "", weight: 1 }],
      ttlMs: TTL,
    }, /^Invalid argument: sources\.0\.key: a key must not be empty$/],
  ];
  for (const [op, body, message] of cases) {
    await expect400(g, op, body, message);
  }
  for (const key of ["a", "d", "z", "l", "s", "c", "k", "u"]) {
    await assertUntouched(g, key, key);
  }
});

Deno.test("bodies that are not JSON are 400; empty bodies too", async () => {
  const g = await jsonGateway();
  for (const body of ["", "   ", "{", "{'key':'k'}", "key=k"]) {
    const seen = await readError(await g.call("get", body));
    assert.equal(seen.status, 400, JSON.stringify(body));
    assert.match(seen.message, /^Invalid request body: /);
  }
  const notUtf8 = await g.app.request("/v1/cache/orders/get", {
    method: "POST",
    headers: { authorization: g.token },
    body: Uint8Array.of(0x7b, 0xff, 0x7d),
  });
  assert.equal(
    (await readError(notUtf8)).message,
    "Invalid request body: not UTF-8",
  );
});

Deno.test("an element over maxElementBytes is 413 element_size; at the limit it is stored", async () => {
  const g = await jsonGateway({ maxElementBytes: 8 });
  const ok = { key: "s", elements: ["12345678"], ttlMs: TTL };
  await g.ok("setAddElements", ok);
  const cases: [OpName, Record<string, unknown>, string][] = [
    [
      "setAddElements",
      { key: "s2", elements: ["a", "123456789"], ttlMs: TTL },
      "elements.1",
    ],
    ["dictionarySetField", {
      key: "d",
      field: "f",
      value: "123456789",
      ttlMs: TTL,
    }, "value"],
    ["dictionarySetFields", {
      key: "d",
      fields: [{ field: "123456789", value: "v" }],
      ttlMs: TTL,
    }, "fields.0.field"],
    ["listPushBack", {
      key: "l",
      value: { base64: new Uint8Array(9).toBase64() },
      ttlMs: TTL,
    }, "value"],
    [
      "listConcatenateFront",
      { key: "l", values: ["123456789"], ttlMs: TTL },
      "values.0",
    ],
    ["sortedSetPutElements", {
      key: "z",
      elements: [{ value: "123456789", score: 1 }],
      ttlMs: TTL,
    }, "elements.0.value"],
  ];
  for (const [op, body, path] of cases) {
    const seen = await readError(await g.call(op, body));
    assert.equal(seen.status, 413, op);
    assert.equal(seen.code, "LIMIT_EXCEEDED_ERROR");
    assert.equal(seen.cause, "element_size_limit_exceeded");
    assert.equal(
      seen.message,
      `Cannot store element: ${path} is larger than the 8 byte element limit: received 9 bytes`,
    );
  }
  for (const key of ["s2", "d", "l", "z"]) await assertUntouched(g, key, key);
  // A scalar value is an item, not an element.
  await g.ok("set", { key: "big", value: "123456789", ttlMs: TTL });
});

Deno.test("a scalar key + value over maxItemBytes is 413 item_size, also in setBatch", async () => {
  const g = await jsonGateway({ maxItemBytes: 10 });
  await g.ok("set", { key: "k", value: "123456789", ttlMs: TTL });
  for (
    const [op, body] of [
      ["set", { key: "kk", value: "123456789", ttlMs: TTL }],
      ["setIfAbsent", { key: "kk", value: "123456789", ttlMs: TTL }],
      ["setBatch", {
        items: [{ key: "a", value: "1", ttlMs: TTL }, {
          key: "kk",
          value: "123456789",
          ttlMs: TTL,
        }],
      }],
    ] as const
  ) {
    const seen = await readError(await g.call(op, body));
    assert.equal(seen.status, 413, op);
    assert.equal(seen.cause, "item_size_limit_exceeded");
  }
  await assertUntouched(g, "kk", "item");
  await assertUntouched(g, "a", "setBatch");
});

Deno.test("a key over 65531 bytes is 400 (the core holds 65535 with the cache id)", async () => {
  const g = await jsonGateway();
  const key = "k".repeat(65_532);
  const seen = await readError(await g.call("get", { key }));
  assert.equal(seen.status, 400);
  assert.equal(
    seen.message,
    "Invalid argument: key: a key is at most 65531 bytes: received 65532 bytes",
  );
  await g.ok("get", { key: key.slice(1) });
});

Deno.test("a body over maxRequestBytes is 413 request_size, declared or streamed", async () => {
  const g = await jsonGateway({ maxRequestBytes: 64 });
  const body = JSON.stringify({ key: "k", value: "v".repeat(60), ttlMs: TTL });
  const declared = await readError(await g.call("set", body));
  assert.equal(declared.status, 413);
  assert.equal(declared.cause, "request_size_limit_exceeded");
  const stream = new Blob([body]).stream();
  const streamed = await readError(
    await g.app.request("/v1/cache/orders/set", {
      method: "POST",
      headers: { authorization: g.token },
      body: stream,
    }),
  );
  assert.equal(streamed.status, 413);
  assert.equal(streamed.cause, "request_size_limit_exceeded");
  const pipelined = await readError(
    await g.pipeline({
      ops: [{ cache: "orders", op: "set", args: JSON.parse(body) }],
    }),
  );
  assert.equal(pipelined.status, 413);
  await assertUntouched(g, "k", "oversized request");
});

Deno.test("a bad gateway option is refused at creation", async () => {
  for (const option of ["maxElementBytes", "maxRequestBytes"]) {
    await assert.rejects(
      () => jsonGateway({ [option]: 0 }),
      new RegExp(`${option} must be a positive integer`),
    );
  }
});
