import assert from "node:assert/strict";
import fc from "fast-check";
import { KvoltError } from "../protocol/errors.ts";
import { parseOpArgs } from "./json_api_args.ts";
import { CATALOGUE as OP_SCHEMAS } from "../protocol/catalogue.ts";

const SEED = 20_260_503;

/** JSON-ish values close to the shapes of get and set arguments. */
const wireish = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
  fc.constant("\ud800"),
  fc.record({
    base64: fc.oneof(fc.base64String(), fc.string({ maxLength: 6 })),
  }),
  fc.record({ base64: fc.base64String(), extra: fc.integer() }),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
);
const ttl = fc.oneof(
  fc.integer({ min: -2, max: 5 }),
  fc.double(),
  fc.constant(Number.MAX_SAFE_INTEGER + 1),
  fc.string({ maxLength: 2 }),
);
const argsLike = fc.oneof(
  fc.record({ key: wireish }, { requiredKeys: [] }),
  fc.record({ key: wireish, value: wireish, ttlMs: ttl }, { requiredKeys: [] }),
  fc.record({ key: wireish, value: wireish, ttlMs: ttl, more: fc.integer() }),
  fc.anything({ maxDepth: 1 }),
);

function outcome(run: () => unknown): unknown {
  try {
    return { ok: run() };
  } catch (err) {
    if (!(err instanceof KvoltError)) throw err;
    return { error: err.message };
  }
}

Deno.test("the get and set fast paths accept and refuse exactly what zod does, with zod's messages", () => {
  for (const op of ["get", "set"] as const) {
    fc.assert(
      fc.property(argsLike, (json) => {
        const fast = outcome(() => parseOpArgs(op, json));
        const parsed = OP_SCHEMAS[op].args.safeParse(json);
        if (parsed.success) assert.deepEqual(fast, { ok: parsed.data });
        else assert.ok("error" in (fast as object), JSON.stringify(json));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  }
});

Deno.test("issues become one message naming the field", () => {
  const cases: [unknown, string][] = [
    [{}, "Invalid argument: key: missing"],
    [
      { key: "k", value: "v", ttlMs: 1, x: 1 },
      "Invalid argument: x: unknown field",
    ],
    [
      { key: "k", value: "v", ttlMs: "1" },
      "Invalid argument: ttlMs: expected number, received string",
    ],
    [42, "Invalid argument: arguments: expected object, received number"],
  ];
  for (const [json, message] of cases) {
    assert.throws(() => parseOpArgs("set", json), { message });
  }
});
