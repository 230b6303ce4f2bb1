/**
 * The permission matrix: for each scope shape (super-user; cache all / named /
 * other; item all / key / keyPrefix / other key) and each role (readwrite,
 * readonly, writeonly), every operation of the catalogue is allowed or denied
 * exactly as Momento's model says, with keys inside the scope, outside it,
 * and (multi-key operations) one of each.
 *
 * The expectation is computed here from the scope and an access table written
 * independently of `protocol/operations.ts` (`tests/_op_samples.ts`). The full
 * matrix runs against `authorizeOp`; a sample of it runs end to end through
 * the JSON API (`POST /v1/cache/{cache}/{op}`) of a gateway, with tokens
 * minted by `POST /v1/tokens`.
 */

import assert from "node:assert/strict";
import { TokenSigner } from "../control/token_signer.ts";
import { MemoryCacheRegistry } from "../gateway/_test_utils.ts";
import { createGateway } from "../gateway/app.ts";
import { authorizeOp } from "../gateway/permissions.ts";
import { TokenVerifier } from "../gateway/token_verifier.ts";
import { toWire } from "../protocol/wire_bytes.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import type { CachePermission, TokenClaims } from "../protocol/claims.ts";
import { KvoltError } from "../protocol/errors.ts";
import {
  type Access,
  OP_NAMES,
  type OpArgs,
  OPERATIONS,
  type OpName,
} from "../protocol/operations.ts";
import {
  expectedAccess,
  MULTI_KEY_OPS,
  SAMPLE_ARGS,
  type SampleKeys,
} from "./_op_samples.ts";

/** The cache every operation addresses. */
const CACHE = "orders";
const text = (s: string) => new TextEncoder().encode(s);
const IN = text("user:1");
const OUT = text("admin:1");

type Role = CachePermission["role"];
/** Every role. */
const ROLES: Role[] = ["readwrite", "readonly", "writeonly"];

/** Which keys an operation touches, relative to the scope. */
type KeyVariant = "in" | "out" | "mixed";

/** A scope shape: a permission for a role, and what it covers. */
interface Scope {
  name: string;
  /** The permission, or "superuser". */
  grant(role: Role): TokenClaims["p"];
  /** Whether the scope covers the cache and every key of the variant. */
  covers(variant: KeyVariant): boolean;
}

const perm = (
  role: Role,
  cache: CachePermission["cache"],
  item?: CachePermission["item"],
): CachePermission[] => [item ? { role, cache, item } : { role, cache }];

/** Every scope shape of the matrix. */
const SCOPES: Scope[] = [
  { name: "super-user", grant: () => "superuser", covers: () => true },
  {
    name: "cache all",
    grant: (r) => perm(r, { all: true }),
    covers: () => true,
  },
  {
    name: "cache named",
    grant: (r) => perm(r, { name: CACHE }),
    covers: () => true,
  },
  {
    name: "other cache",
    grant: (r) => perm(r, { name: "payments" }),
    covers: () => false,
  },
  {
    name: "item all",
    grant: (r) => perm(r, { name: CACHE }, { all: true }),
    covers: () => true,
  },
  {
    name: "item key",
    grant: (r) => perm(r, { all: true }, { key: "user:1" }),
    covers: (v) => v === "in",
  },
  {
    name: "item keyPrefix",
    grant: (r) => perm(r, { name: CACHE }, { keyPrefix: "user:" }),
    covers: (v) => v === "in",
  },
  {
    name: "other key",
    grant: (r) => perm(r, { name: CACHE }, { key: "user:2" }),
    covers: () => false,
  },
];

/** The sample keys of a variant. */
function sampleKeys(variant: KeyVariant): SampleKeys {
  switch (variant) {
    case "in":
      return { key: IN, keys: [IN, IN] };
    case "out":
      return { key: OUT, keys: [OUT] };
    case "mixed":
      // The item key is in scope; one other key is not.
      return { key: IN, keys: [IN, OUT] };
  }
}

/** Variants that apply to an operation. */
function variantsOf(op: OpName): KeyVariant[] {
  return MULTI_KEY_OPS.has(op) ? ["in", "out", "mixed"] : ["in", "out"];
}

const ROLE_ALLOWS: Record<Role, readonly Access[]> = {
  readwrite: ["read", "write", "readWrite"],
  readonly: ["read"],
  writeonly: ["write"],
};

/** Whether the matrix expects the operation to be allowed. */
function expected(
  scope: Scope,
  role: Role,
  op: OpName,
  variant: KeyVariant,
): boolean {
  if (scope.name === "super-user") return true;
  return ROLE_ALLOWS[role].includes(expectedAccess(op)) &&
    scope.covers(variant);
}

function allowed<K extends OpName>(
  claims: TokenClaims,
  op: K,
  args: OpArgs<K>,
): boolean {
  try {
    authorizeOp(claims, CACHE, op, args);
    return true;
  } catch (err) {
    if (err instanceof KvoltError && err.code === "PERMISSION_ERROR") {
      return false;
    }
    throw err;
  }
}

Deno.test("the catalogue's access classes are Momento's", () => {
  for (const op of OP_NAMES) {
    assert.equal(OPERATIONS[op].access, expectedAccess(op), op);
  }
});

Deno.test("the samples touch exactly the keys they are built around", () => {
  const dec = new TextDecoder();
  for (const op of OP_NAMES) {
    for (const variant of variantsOf(op)) {
      const k = sampleKeys(variant);
      const touched = OPERATIONS[op].keys(
        SAMPLE_ARGS[op](k) as unknown as Record<string, unknown>,
      ).map((b) => dec.decode(b));
      const want = MULTI_KEY_OPS.has(op)
        ? op === "sortedSetUnionStore" ? [k.key, ...k.keys] : k.keys
        : [k.key];
      assert.deepEqual(touched, want.map((b) => dec.decode(b)), op);
    }
  }
});

Deno.test("permission matrix: every scope x role x operation x key variant (authorizeOp)", () => {
  let checked = 0;
  const wrong: string[] = [];
  for (const scope of SCOPES) {
    for (const role of ROLES) {
      const claims: TokenClaims = { sub: "t", p: scope.grant(role) };
      for (const op of OP_NAMES) {
        for (const variant of variantsOf(op)) {
          const args = SAMPLE_ARGS[op](sampleKeys(variant));
          const want = expected(scope, role, op, variant);
          if (allowed(claims, op, args) !== want) {
            wrong.push(
              `${scope.name} / ${role} / ${op} / ${variant}: expected ${
                want ? "allowed" : "denied"
              }`,
            );
          }
          checked++;
        }
      }
    }
  }
  assert.deepEqual(wrong, []);
  // 8 scopes x 3 roles x (ops x 2 variants + 4 multi-key ops x 1 more).
  assert.equal(checked, 8 * 3 * (OP_NAMES.length * 2 + 4));
});

Deno.test("permission matrix: every operation family appears in each expected state", () => {
  // Guards the matrix itself: each role allows some operations and denies others.
  const rw = { sub: "t", p: perm("readwrite", { all: true }) };
  const ro = { sub: "t", p: perm("readonly", { all: true }) };
  const wo = { sub: "t", p: perm("writeonly", { all: true }) };
  const count = (claims: TokenClaims) =>
    OP_NAMES.filter((op) =>
      allowed(claims, op, SAMPLE_ARGS[op](sampleKeys("in")))
    ).length;
  assert.equal(count(rw), OP_NAMES.length);
  assert.ok(count(ro) > 0 && count(ro) < OP_NAMES.length);
  assert.ok(count(wo) > 0 && count(wo) < OP_NAMES.length);
  assert.equal(count(ro) + count(wo) < OP_NAMES.length, true);
});

Deno.test("a key is granted by any permission: two scopes together cover a mixed batch", () => {
  const claims: TokenClaims = {
    sub: "t",
    p: [
      { role: "readonly", cache: { name: CACHE }, item: { key: "user:1" } },
      { role: "readwrite", cache: { all: true }, item: { keyPrefix: "admin" } },
    ],
  };
  const mixed = sampleKeys("mixed");
  assert.equal(allowed(claims, "getBatch", SAMPLE_ARGS.getBatch(mixed)), true);
  assert.equal(allowed(claims, "setBatch", SAMPLE_ARGS.setBatch(mixed)), false);
  assert.equal(
    allowed(claims, "setBatch", SAMPLE_ARGS.setBatch(sampleKeys("out"))),
    true,
  );
});

/** One operation of each access class and family, and the multi-key ones. */
const HTTP_OPS: OpName[] = [
  "get",
  "set",
  "setIfAbsent",
  "getBatch",
  "setBatch",
  "dictionaryFetch",
  "listPushBack",
  "setAddElements",
  "sortedSetUnionStore",
];

const HTTP_SCOPES = SCOPES.filter((s) =>
  ["super-user", "cache named", "other cache", "item keyPrefix"].includes(
    s.name,
  )
);

/** Keys unique to an operation, so that no two operations meet on a type. */
function httpKeys(op: OpName, variant: KeyVariant): SampleKeys {
  const inside = text(`user:${op}`);
  const outside = text(`admin:${op}`);
  switch (variant) {
    case "in":
      return { key: inside, keys: [inside] };
    case "out":
      return { key: outside, keys: [outside] };
    case "mixed":
      return { key: inside, keys: [inside, outside] };
  }
}

Deno.test("permission matrix end to end: a sample over the JSON API with minted tokens", async () => {
  const signer = await TokenSigner.generate();
  const caches = new MemoryCacheRegistry();
  await caches.create(CACHE);
  const app = createGateway({
    store: new MemoryStore(),
    caches,
    verifier: new TokenVerifier(signer.publicKey),
    minter: signer,
  });
  const su = await signer.mint({ sub: "su", p: "superuser" });
  async function tokenFor(scope: Scope, role: Role): Promise<string> {
    const p = scope.grant(role);
    if (p === "superuser") return su;
    const res = await app.request("/v1/tokens", {
      method: "POST",
      headers: { authorization: su },
      body: JSON.stringify({ expiresInSeconds: 60, permissions: p }),
    });
    assert.equal(res.status, 200);
    return (await res.json()).authToken;
  }
  const wrong: string[] = [];
  let checked = 0;
  for (const scope of HTTP_SCOPES) {
    for (const role of ROLES) {
      const token = await tokenFor(scope, role);
      for (const op of HTTP_OPS) {
        for (const variant of variantsOf(op)) {
          const args = SAMPLE_ARGS[op](httpKeys(op, variant));
          const res = await app.request(`/v1/cache/${CACHE}/${op}`, {
            method: "POST",
            headers: { authorization: token },
            body: JSON.stringify(toWire(args)),
          });
          const body = await res.json();
          const want = expected(scope, role, op, variant) ? 200 : 403;
          if (res.status !== want) {
            wrong.push(
              `${scope.name} / ${role} / ${op} / ${variant}: expected ${want}, received ${res.status} ${
                JSON.stringify(body)
              }`,
            );
          } else if (want === 403) {
            assert.equal(body.error.code, "PERMISSION_ERROR");
          }
          checked++;
        }
      }
    }
  }
  assert.deepEqual(wrong, []);
  assert.equal(checked, 4 * 3 * (HTTP_OPS.length * 2 + 3));
});
