import assert from "node:assert/strict";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { TOKEN_ISSUER } from "../protocol/claims.ts";
import { TokenSigner } from "./token_signer.ts";

Deno.test("mint signs EdDSA tokens the public key verifies", async () => {
  const signer = await TokenSigner.generate();
  const token = await signer.mint({
    sub: "k1",
    p: "superuser",
    c: "h:1",
    cp: "h:1",
  });
  const { payload } = await jwtVerify(token, signer.publicKey, {
    issuer: TOKEN_ISSUER,
    algorithms: ["EdDSA"],
  });
  assert.equal(payload.sub, "k1");
  assert.equal(payload.p, "superuser");
  assert.equal(payload.c, "h:1");
  assert.equal(payload.exp, undefined, "API keys never expire");
  assert.equal(typeof payload.iat, "number");
  const header = decodeProtectedHeader(token);
  assert.equal(header.alg, "EdDSA");
  assert.equal(header.kid, signer.keyId);
});

Deno.test("expiresInSeconds sets exp", async () => {
  const signer = await TokenSigner.generate();
  const before = Math.floor(Date.now() / 1000);
  const token = await signer.mint({ sub: "t", p: [] }, {
    expiresInSeconds: 60,
  });
  const { payload } = await jwtVerify(token, signer.publicKey);
  assert.ok(payload.exp! >= before + 60 && payload.exp! <= before + 62);
});

Deno.test("expiresAt sets exp exactly, and refuses bad values", async () => {
  const signer = await TokenSigner.generate();
  const at = Math.floor(Date.now() / 1000) + 600;
  const token = await signer.mint({ sub: "t", p: [], t: "id-1" }, {
    expiresAt: at,
  });
  const { payload } = await jwtVerify(token, signer.publicKey);
  assert.equal(payload.exp, at);
  assert.equal(payload.t, "id-1");
  for (
    const bad of [{ expiresAt: 0 }, { expiresAt: 1.5 }, {
      expiresAt: at,
      expiresInSeconds: 5,
    }]
  ) {
    await assert.rejects(
      () => signer.mint({ sub: "t", p: "superuser" }, bad),
      RangeError,
    );
  }
});

Deno.test("mint refuses bad lifetimes and an empty subject", async () => {
  const signer = await TokenSigner.generate();
  for (const ttl of [0, -1, 1.5, NaN]) {
    await assert.rejects(
      () =>
        signer.mint({ sub: "t", p: "superuser" }, { expiresInSeconds: ttl }),
      RangeError,
    );
  }
  await assert.rejects(
    () => signer.mint({ sub: "", p: "superuser" }),
    TypeError,
  );
});

Deno.test("another signer's key does not verify the token", async () => {
  const a = await TokenSigner.generate();
  const b = await TokenSigner.generate();
  const token = await a.mint({ sub: "x", p: "superuser" });
  await assert.rejects(() => jwtVerify(token, b.publicKey));
});

Deno.test("fromPrivateJwk refuses keys that are not Ed25519", async () => {
  await assert.rejects(
    () => TokenSigner.fromPrivateJwk({ kty: "EC", crv: "P-256" }),
    TypeError,
  );
});
