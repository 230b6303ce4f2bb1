import assert from "node:assert/strict";
import { KvoltError } from "../protocol/errors.ts";
import { MAX_CACHE_NAME_LENGTH, validateCacheName } from "./cache_names.ts";

function refusal(name: string): KvoltError {
  try {
    validateCacheName(name);
  } catch (err) {
    if (err instanceof KvoltError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(name)}`);
}

Deno.test("validateCacheName accepts letters, digits, - _ .", () => {
  for (const name of ["default", "a", "A-b_c.9", "x".repeat(255)]) {
    validateCacheName(name);
  }
});

Deno.test("validateCacheName refuses empty names", () => {
  const err = refusal("");
  assert.deepEqual(err.code, "INVALID_ARGUMENT_ERROR");
  assert.deepEqual(err.message, "Invalid cache name: must not be empty");
});

Deno.test("validateCacheName refuses names over 255 characters", () => {
  const err = refusal("x".repeat(MAX_CACHE_NAME_LENGTH + 1));
  assert.deepEqual(err.code, "INVALID_ARGUMENT_ERROR");
  assert.deepEqual(
    err.message,
    "Invalid cache name: must be at most 255 characters: received 256",
  );
});

Deno.test("validateCacheName refuses other characters", () => {
  for (const name of ["my cache", "a/b", "é", "a?b", " ", "a\nb", "名前"]) {
    const err = refusal(name);
    assert.deepEqual(err.code, "INVALID_ARGUMENT_ERROR");
    assert.deepEqual(err.message.includes(JSON.stringify(name)), true);
  }
  assert.throws(() => validateCacheName("%2F"), KvoltError);
});
