import assert from "node:assert/strict";
import { authorizeOp, canAccess } from "./permissions.ts";
import type { OpName } from "../protocol/operations.ts";
import type { CachePermission, TokenClaims } from "../protocol/claims.ts";

const key = (text: string) => new TextEncoder().encode(text);
const claims = (...p: CachePermission[]): TokenClaims => ({ sub: "t", p });

Deno.test("canAccess: a super-user may do anything", () => {
  const su: TokenClaims = { sub: "t", p: "superuser" };
  assert.ok(canAccess(su, "any", key("k"), "read"));
  assert.ok(canAccess(su, "any", key("k"), "write"));
});

Deno.test("canAccess: roles", () => {
  const all = { all: true } as const;
  const rw = claims({ role: "readwrite", cache: all });
  const ro = claims({ role: "readonly", cache: all });
  const wo = claims({ role: "writeonly", cache: all });
  assert.ok(
    canAccess(rw, "c", key("k"), "read") &&
      canAccess(rw, "c", key("k"), "write"),
  );
  assert.ok(
    canAccess(ro, "c", key("k"), "read") &&
      !canAccess(ro, "c", key("k"), "write"),
  );
  assert.ok(
    !canAccess(wo, "c", key("k"), "read") &&
      canAccess(wo, "c", key("k"), "write"),
  );
});

Deno.test("canAccess: cache selector", () => {
  const named = claims({ role: "readwrite", cache: { name: "a" } });
  assert.ok(canAccess(named, "a", key("k"), "read"));
  assert.ok(!canAccess(named, "ab", key("k"), "read"));
  assert.ok(
    !canAccess(claims(), "a", key("k"), "read"),
    "no permissions grant nothing",
  );
});

Deno.test("canAccess: item selectors compare UTF-8 bytes", () => {
  const exact = claims({
    role: "readwrite",
    cache: { all: true },
    item: { key: "café" },
  });
  assert.ok(canAccess(exact, "c", key("café"), "read"));
  assert.ok(!canAccess(exact, "c", key("caf"), "read"));
  assert.ok(!canAccess(exact, "c", key("café!"), "read"));
  const prefix = claims({
    role: "readwrite",
    cache: { all: true },
    item: { keyPrefix: "user:" },
  });
  assert.ok(canAccess(prefix, "c", key("user:"), "read"));
  assert.ok(
    canAccess(prefix, "c", new Uint8Array([...key("user:"), 0xff]), "read"),
  );
  assert.ok(!canAccess(prefix, "c", key("use"), "read"));
  const all = claims({
    role: "readwrite",
    cache: { all: true },
    item: { all: true },
  });
  assert.ok(canAccess(all, "c", key("x"), "write"));
});

Deno.test("canAccess: any matching permission grants", () => {
  const mixed = claims(
    { role: "readonly", cache: { name: "a" } },
    { role: "writeonly", cache: { name: "b" }, item: { keyPrefix: "q" } },
  );
  assert.ok(canAccess(mixed, "a", key("z"), "read"));
  assert.ok(!canAccess(mixed, "a", key("z"), "write"));
  assert.ok(canAccess(mixed, "b", key("q1"), "write"));
  assert.ok(!canAccess(mixed, "b", key("z"), "write"));
});

Deno.test("canAccess: readWrite access needs the readwrite role", () => {
  const all = { all: true } as const;
  assert.ok(
    canAccess(
      claims({ role: "readwrite", cache: all }),
      "c",
      key("k"),
      "readWrite",
    ),
  );
  assert.ok(
    !canAccess(
      claims({ role: "readonly", cache: all }),
      "c",
      key("k"),
      "readWrite",
    ),
  );
  assert.ok(
    !canAccess(
      claims({ role: "writeonly", cache: all }),
      "c",
      key("k"),
      "readWrite",
    ),
  );
});

Deno.test("authorizeOp: a denial is PERMISSION_ERROR naming the operation and the cache", () => {
  const wo = claims({ role: "writeonly", cache: { all: true } });
  authorizeOp(wo, "orders", "set", {
    key: key("k"),
    value: key("v"),
    ttlMs: 1,
  });
  assert.throws(
    () =>
      authorizeOp(wo, "orders", "increment", {
        key: key("k"),
        amount: 1,
        ttlMs: 1,
      }),
    {
      code: "PERMISSION_ERROR",
      message:
        "Permission denied: the token does not allow increment (read-write access) on every key it touches in cache: orders",
    },
  );
});

Deno.test("authorizeOp: an unknown operation is INVALID_ARGUMENT_ERROR", () => {
  const rw = claims({ role: "readwrite", cache: { all: true } });
  for (const op of ["nope", "toString", "__proto__"]) {
    assert.throws(
      () => authorizeOp(rw, "c", op as OpName, { key: key("k") } as never),
      { code: "INVALID_ARGUMENT_ERROR" },
    );
  }
});
