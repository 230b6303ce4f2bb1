import assert from "node:assert/strict";
import fc from "fast-check";
import { itemKey, parseQuery, ttlMs } from "./query.ts";
import { decodeBase64 } from "../protocol/base64.ts";
import { KvoltError } from "../protocol/errors.ts";

const invalidArgument = (e: unknown) =>
  e instanceof KvoltError && e.code === "INVALID_ARGUMENT_ERROR";

Deno.test("parseQuery reads the four parameters and ignores the rest", () => {
  assert.deepEqual(parseQuery("http://h/cache/c"), {});
  assert.deepEqual(
    parseQuery(
      "http://h/c?x=1&key=a%20b+c&&token=t&ttl_seconds=5&key_base64=QQ&flag",
    ),
    { key: "a b c", token: "t", ttlSeconds: "5", keyBase64: "QQ" },
  );
  assert.deepEqual(parseQuery("http://h/c?key"), { key: "" });
  assert.deepEqual(parseQuery("http://h/c?k%65y=v#frag"), { key: "v" });
  assert.deepEqual(parseQuery("http://h/c?constructor=1&__proto__=2"), {});
  assert.deepEqual(
    parseQuery("http://h/c?other=%zz"),
    {},
    "unread parameters are not decoded",
  );
});

Deno.test("parseQuery refuses duplicates and malformed encoding", () => {
  assert.throws(() => parseQuery("http://h/c?key=a&key=b"), invalidArgument);
  assert.throws(() => parseQuery("http://h/c?token=a&token="), invalidArgument);
  assert.throws(() => parseQuery("http://h/c?key=%"), invalidArgument);
  assert.throws(() => parseQuery("http://h/c?key=%C3"), invalidArgument);
});

Deno.test("parseQuery agrees with URLSearchParams on valid queries", () => {
  fc.assert(fc.property(fc.string(), fc.string(), (key, token) => {
    const url = `http://h/c?key=${encodeURIComponent(key)}&token=${
      encodeURIComponent(token)
    }`;
    const reference = new URL(url).searchParams;
    const params = parseQuery(url);
    assert.equal(params.key, reference.get("key"));
    assert.equal(params.token, reference.get("token"));
  }));
});

Deno.test("itemKey encodes key as UTF-8 and decodes key_base64", () => {
  assert.deepEqual(itemKey({ key: "é" }), new Uint8Array([0xc3, 0xa9]));
  assert.deepEqual(itemKey({ keyBase64: "w6k" }), new Uint8Array([0xc3, 0xa9]));
  assert.throws(() => itemKey({}), invalidArgument);
  assert.throws(() => itemKey({ key: "a", keyBase64: "YQ" }), invalidArgument);
  assert.throws(() => itemKey({ key: "" }), invalidArgument);
  assert.throws(() => itemKey({ keyBase64: "" }), invalidArgument);
  assert.throws(() => itemKey({ keyBase64: "!!" }), invalidArgument);
});

Deno.test("decodeBase64 accepts both alphabets with or without padding", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
    const standard = bytes.toBase64();
    const urlSafe = bytes.toBase64({
      alphabet: "base64url",
      omitPadding: true,
    });
    assert.deepEqual(decodeBase64(standard), bytes);
    assert.deepEqual(decodeBase64(urlSafe), bytes);
    assert.deepEqual(decodeBase64(standard.replaceAll("+", " ")), bytes);
  }));
});

Deno.test("decodeBase64 refuses what is not base64", () => {
  for (
    const bad of [
      "a",
      "abcde",
      "YQ=",
      "YQ===",
      "Y=Q",
      "ab\ncd",
      "a-+b",
      "a_/b",
      "a$",
      "==",
    ]
  ) {
    assert.equal(decodeBase64(bad), undefined, JSON.stringify(bad));
  }
});

Deno.test("ttlMs accepts integers from 1 to the maximum", () => {
  assert.equal(ttlMs("1", 10), 1000);
  assert.equal(ttlMs("10", 10), 10_000);
  assert.equal(ttlMs("007", 10), 7000);
  for (
    const bad of [
      undefined,
      "",
      "0",
      "11",
      "-1",
      "1.0",
      "1e1",
      " 1",
      "0x5",
      "Infinity",
    ]
  ) {
    assert.throws(() => ttlMs(bad, 10), invalidArgument, String(bad));
  }
});
