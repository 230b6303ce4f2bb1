/**
 * The control service's Ed25519 signing key, kept as a private JWK in the data
 * dir (`signing-key.jwk`, mode 0600) so that tokens survive restarts.
 *
 * @module
 */

import { readTextIfExists, writeFileAtomic } from "./_files.ts";
import { generateSigningJwk, TokenSigner } from "./token_signer.ts";

/**
 * Loads the signing key from `path`, or generates and stores one.
 *
 * @param path the JWK file
 * @returns a signer over that key
 */
export async function loadOrCreateSigner(path: string): Promise<TokenSigner> {
  const text = await readTextIfExists(path);
  if (text !== undefined) {
    let jwk: JsonWebKey;
    try {
      jwk = JSON.parse(text);
    } catch (err) {
      throw new Error(`Cannot load signing key: ${path} is not JSON`, {
        cause: err,
      });
    }
    return await TokenSigner.fromPrivateJwk(jwk);
  }
  const stored = await generateSigningJwk();
  await writeFileAtomic(path, JSON.stringify(stored, null, 2) + "\n", {
    mode: 0o600,
  });
  return await TokenSigner.fromPrivateJwk(stored);
}
