import assert from "node:assert/strict";
import { TokenVerifier } from "./token_verifier.ts";
import { keyPair, mintToken } from "./_test_utils.ts";
import { KvoltError } from "../protocol/errors.ts";

const keys = await keyPair();
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Counts WebCrypto signature checks (what jose calls to verify). */
function countingVerify(): { calls: () => number; restore: () => void } {
  const original = crypto.subtle.verify;
  let calls = 0;
  crypto.subtle.verify = function (
    ...args: Parameters<SubtleCrypto["verify"]>
  ) {
    calls++;
    return original.apply(crypto.subtle, args);
  } as SubtleCrypto["verify"];
  return {
    calls: () => calls,
    restore: () => (crypto.subtle.verify = original),
  };
}

async function rejectsWithAuth(promise: Promise<unknown>, message: RegExp) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof KvoltError);
    assert.equal(err.code, "AUTHENTICATION_ERROR");
    assert.match(err.message, message);
    return true;
  });
}

Deno.test("TokenVerifier returns the claims of a valid token", async () => {
  const verifier = new TokenVerifier(keys.publicKey);
  const token = await mintToken(keys.privateKey, { sub: "k1" });
  const claims = await verifier.verify(token);
  assert.equal(claims.sub, "k1");
  assert.equal(claims.p, "superuser");
});

Deno.test("TokenVerifier checks a known token's signature only once", async () => {
  const verifier = new TokenVerifier(keys.publicKey);
  const token = await mintToken(keys.privateKey);
  const counter = countingVerify();
  try {
    await verifier.verify(token);
    await verifier.verify(token);
    await verifier.verify(token);
    assert.equal(counter.calls(), 1);
  } finally {
    counter.restore();
  }
});

Deno.test("TokenVerifier.cached is synchronous and only knows verified tokens", async () => {
  const verifier = new TokenVerifier(keys.publicKey);
  const token = await mintToken(keys.privateKey);
  assert.equal(verifier.cached(token), undefined);
  await verifier.verify(token);
  const claims = verifier.cached(token);
  assert.ok(claims !== undefined && !(claims instanceof Promise));
  assert.equal(claims.p, "superuser");
});

Deno.test("TokenVerifier caches only successes", async () => {
  const verifier = new TokenVerifier(keys.publicKey);
  const other = await keyPair();
  const forged = await mintToken(other.privateKey);
  await rejectsWithAuth(verifier.verify(forged), /signature/);
  assert.equal(verifier.size, 0);
  assert.equal(verifier.cached(forged), undefined);
});

Deno.test("TokenVerifier stays within maxEntries, dropping the oldest", async () => {
  const verifier = new TokenVerifier(keys.publicKey, { maxEntries: 3 });
  const tokens: string[] = [];
  for (let i = 0; i < 5; i++) {
    tokens.push(await mintToken(keys.privateKey, { sub: `k${i}` }));
    await verifier.verify(tokens[i] as string);
    assert.ok(verifier.size <= 3);
  }
  assert.equal(verifier.size, 3);
  assert.equal(verifier.cached(tokens[0] as string), undefined);
  assert.equal(verifier.cached(tokens[1] as string), undefined);
  assert.equal(verifier.cached(tokens[4] as string)?.sub, "k4");
});

Deno.test("TokenVerifier with maxEntries 0 caches nothing", async () => {
  const verifier = new TokenVerifier(keys.publicKey, { maxEntries: 0 });
  await verifier.verify(await mintToken(keys.privateKey));
  assert.equal(verifier.size, 0);
});

Deno.test("TokenVerifier rejects a bad maxEntries", () => {
  assert.throws(
    () => new TokenVerifier(keys.publicKey, { maxEntries: -1 }),
    RangeError,
  );
  assert.throws(
    () => new TokenVerifier(keys.publicKey, { maxEntries: 1.5 }),
    RangeError,
  );
});

Deno.test("TokenVerifier rejects an expired token", async () => {
  const verifier = new TokenVerifier(keys.publicKey);
  const token = await mintToken(keys.privateKey, { exp: nowSeconds() - 10 });
  await rejectsWithAuth(verifier.verify(token), /^Token expired$/);
  assert.equal(verifier.size, 0);
});

Deno.test("TokenVerifier drops a cached token once it expires", async () => {
  let now = Date.now();
  const verifier = new TokenVerifier(keys.publicKey, { now: () => now });
  const exp = Math.floor(now / 1000) + 60;
  const token = await mintToken(keys.privateKey, { exp });
  await verifier.verify(token);
  assert.ok(verifier.cached(token) !== undefined);
  now = exp * 1000; // the expiry instant itself is expired
  assert.equal(verifier.cached(token), undefined);
  assert.equal(verifier.size, 0);
  await rejectsWithAuth(verifier.verify(token), /^Token expired$/);
  assert.equal(verifier.size, 0);
});

Deno.test("TokenVerifier rejects another issuer, garbage and a tampered payload", async () => {
  const verifier = new TokenVerifier(keys.publicKey);
  const foreign = await mintToken(keys.privateKey, { issuer: "momento" });
  await rejectsWithAuth(verifier.verify(foreign), /iss/);
  await rejectsWithAuth(verifier.verify("not-a-jwt"), /^Invalid token/);
  await rejectsWithAuth(verifier.verify(""), /^Invalid token/);
  const [header, , signature] = (await mintToken(keys.privateKey, {
    p: [{ role: "readonly", cache: { all: true } }],
  })).split(".");
  const payload = btoa(
    JSON.stringify({ p: "superuser", sub: "x", iss: "kvolt" }),
  )
    .replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
  await rejectsWithAuth(
    verifier.verify(`${header}.${payload}.${signature}`),
    /signature/,
  );
});

Deno.test("TokenVerifier refuses signed tokens with malformed claims", async () => {
  const { SignJWT } = await import("jose");
  const verifier = new TokenVerifier(keys.publicKey);
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: "EdDSA" }).setIssuer("kvolt")
      .sign(keys.privateKey);
  await rejectsWithAuth(verifier.verify(await sign({ p: "superuser" })), /sub/);
  await rejectsWithAuth(
    verifier.verify(await sign({ sub: "k", p: "admin" })),
    /"p"/,
  );
  await rejectsWithAuth(
    verifier.verify(
      await sign({ sub: "k", p: [{ role: "owner", cache: { all: true } }] }),
    ),
    /"p"/,
  );
  const ok = await verifier.verify(
    await sign({
      sub: "k",
      p: [{
        role: "readonly",
        cache: { name: "a" },
        item: { keyPrefix: "u:" },
      }],
    }),
  );
  assert.deepEqual(ok.p, [{
    role: "readonly",
    cache: { name: "a" },
    item: { keyPrefix: "u:" },
  }]);
});
