import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { loadOrCreateApiKey } from "./api_key.ts";
import { TokenSigner } from "./token_signer.ts";

Deno.test("the API key is a super-user JWT without expiry, stored 0600 and reused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/api-key`;
    const signer = await TokenSigner.generate();
    const first = await loadOrCreateApiKey(path, signer, "127.0.0.1:8443");
    assert.equal(first.created, true);
    const claims = decodeJwt(first.token);
    assert.equal(claims.p, "superuser");
    assert.equal(claims.c, "127.0.0.1:8443");
    assert.equal(claims.cp, "127.0.0.1:8443");
    assert.equal(claims.exp, undefined);
    assert.ok(typeof claims.sub === "string" && claims.sub.length > 0);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    }
    const second = await loadOrCreateApiKey(path, signer, "127.0.0.1:8443");
    assert.deepEqual(second, { token: first.token, created: false });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a key naming another endpoint is re-issued for the new one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/api-key`;
    const signer = await TokenSigner.generate();
    const first = await loadOrCreateApiKey(path, signer, "127.0.0.1:8443");
    const moved = await loadOrCreateApiKey(path, signer, "127.0.0.1:8445");
    assert.equal(moved.created, true);
    assert.equal(moved.previousEndpoint, "127.0.0.1:8443");
    assert.notEqual(moved.token, first.token);
    assert.equal(decodeJwt(moved.token).c, "127.0.0.1:8445");
    assert.equal(decodeJwt(moved.token).cp, "127.0.0.1:8445");
    assert.equal((await Deno.readTextFile(path)).trim(), moved.token);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a key the signing key does not verify is minted again", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/api-key`;
    const old = await loadOrCreateApiKey(
      path,
      await TokenSigner.generate(),
      "h:1",
    );
    const fresh = await loadOrCreateApiKey(
      path,
      await TokenSigner.generate(),
      "h:1",
    );
    assert.equal(fresh.created, true);
    assert.notEqual(fresh.token, old.token);
    await Deno.writeTextFile(path, "not a jwt");
    assert.equal(
      (await loadOrCreateApiKey(path, await TokenSigner.generate(), "h:1"))
        .created,
      true,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("with a gRPC listener, c/cp name it and h the HTTP API; a key for the HTTP API alone is re-issued", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/api-key`;
    const signer = await TokenSigner.generate();
    const plain = await loadOrCreateApiKey(path, signer, "localhost:8443");
    assert.equal(decodeJwt(plain.token).c, "localhost:8443");
    assert.equal(decodeJwt(plain.token).h, "localhost:8443");
    const endpoints = { http: "localhost:8443", grpc: "localhost:8444" };
    const both = await loadOrCreateApiKey(path, signer, endpoints);
    assert.equal(both.created, true);
    const claims = decodeJwt(both.token);
    assert.deepEqual([claims.c, claims.cp, claims.h], [
      "localhost:8444",
      "localhost:8444",
      "localhost:8443",
    ]);
    const again = await loadOrCreateApiKey(path, signer, endpoints);
    assert.equal(again.created, false);
    assert.equal(again.token, both.token);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
