/**
 * The control service's tokens and the gateway's verifier agree: what
 * `TokenSigner` mints, `TokenVerifier` accepts with the public key alone.
 */

import assert from "node:assert/strict";
import { loadOrCreateApiKey } from "../control/api_key.ts";
import { TokenSigner } from "../control/token_signer.ts";
import { TokenVerifier } from "../gateway/token_verifier.ts";
import { isSuperUser } from "../protocol/claims.ts";

Deno.test("the super-user API key passes the gateway verifier", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const signer = await TokenSigner.generate();
    const { token } = await loadOrCreateApiKey(
      `${dir}/api-key`,
      signer,
      "127.0.0.1:8443",
    );
    const claims = await new TokenVerifier(signer.publicKey).verify(token);
    assert.equal(isSuperUser(claims), true);
    assert.equal(claims.c, "127.0.0.1:8443");
    assert.equal(claims.cp, "127.0.0.1:8443");
    assert.equal(claims.exp, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a disposable token carries its expiry through the verifier", async () => {
  const signer = await TokenSigner.generate();
  const token = await signer.mint(
    { sub: "tok", p: [{ role: "readonly", cache: { name: "default" } }] },
    { expiresInSeconds: 3600 },
  );
  const claims = await new TokenVerifier(signer.publicKey).verify(token);
  assert.equal(isSuperUser(claims), false);
  assert.ok(claims.exp! > Date.now() / 1000);
});

Deno.test("a token from another signing key is refused by the verifier", async () => {
  const token = await (await TokenSigner.generate()).mint({
    sub: "x",
    p: "superuser",
  });
  const verifier = new TokenVerifier((await TokenSigner.generate()).publicKey);
  await assert.rejects(() => verifier.verify(token), {
    code: "AUTHENTICATION_ERROR",
  });
});

Deno.test("the super-user key is reused on the same endpoint and re-issued on another", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const signer = await TokenSigner.generate();
    const path = `${dir}/api-key`;
    const first = await loadOrCreateApiKey(path, signer, "127.0.0.1:8443");
    const again = await loadOrCreateApiKey(path, signer, "127.0.0.1:8443");
    assert.deepEqual(again, { token: first.token, created: false });
    const moved = await loadOrCreateApiKey(path, signer, "127.0.0.1:8445");
    assert.equal(moved.created, true);
    const claims = await new TokenVerifier(signer.publicKey).verify(
      moved.token,
    );
    assert.equal(claims.c, "127.0.0.1:8445");
    assert.equal(claims.cp, "127.0.0.1:8445");
    assert.equal((await Deno.readTextFile(path)).trim(), moved.token);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
