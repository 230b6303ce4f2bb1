/**
 * The control service's data dir: where it keeps its TLS material, signing key,
 * super-user API key and cache list, so that a restart reuses all of them.
 *
 * ```
 * .kvolt/
 *   tls/ca.pem  tls/ca-key.pem (0600)  tls/server.pem  tls/server-key.pem (0600)
 *   signing-key.jwk (0600)  api-key (0600)  caches.json
 * ```
 *
 * @module
 */

import { join, resolve } from "node:path";
import { removeStaleTempFiles, tightenSecretFile } from "./_files.ts";

/** Default data dir, relative to the working directory. */
export const DEFAULT_DATA_DIR = ".kvolt";

/** Environment variable that overrides the default data dir. */
export const DATA_DIR_ENV = "KVOLT_DATA";

/** Absolute paths of every file in a data dir. */
export interface DataDir {
  /** The data dir itself. */
  root: string;
  /** Folder of the TLS files. */
  tlsDir: string;
  /** Dev CA certificate (PEM): the file clients trust. */
  caCert: string;
  /** Dev CA private key (PKCS#8 PEM, 0600). */
  caKey: string;
  /** Server certificate (PEM), signed by the dev CA. */
  serverCert: string;
  /** Server private key (PKCS#8 PEM, 0600). */
  serverKey: string;
  /** Ed25519 token signing key (JWK, 0600). */
  signingKey: string;
  /** Super-user API key (JWT text, 0600). */
  apiKey: string;
  /** The cache list. */
  caches: string;
  /** What nodes present to join the cluster (0600). */
  joinToken: string;
  /** The control service's cluster state (membership, topology). */
  cluster: string;
  /** Revoked token ids (`kvolt serve`). */
  revoked: string;
}

/**
 * Picks the data dir: the `--data` flag, else `KVOLT_DATA`, else `.kvolt`.
 *
 * @param flag value of `--data`, if given
 * @param env value of `KVOLT_DATA`, if set
 * @returns the absolute path of the data dir
 *
 * @example Flag wins over the environment
 * ```ts
 * import { resolveDataDirPath } from "./data_dir.ts";
 * import { isAbsolute } from "node:path";
 * const dir = resolveDataDirPath("mydata", "/elsewhere");
 * if (!isAbsolute(dir) || !dir.endsWith("mydata")) throw new Error(dir);
 * ```
 */
export function resolveDataDirPath(flag?: string, env?: string): string {
  const chosen = flag || env || DEFAULT_DATA_DIR;
  return resolve(chosen);
}

/**
 * The paths of every file in the data dir rooted at `root` (nothing is created).
 *
 * @param root absolute path of the data dir
 */
export function dataDirPaths(root: string): DataDir {
  const tlsDir = join(root, "tls");
  return {
    root,
    tlsDir,
    caCert: join(tlsDir, "ca.pem"),
    caKey: join(tlsDir, "ca-key.pem"),
    serverCert: join(tlsDir, "server.pem"),
    serverKey: join(tlsDir, "server-key.pem"),
    signingKey: join(root, "signing-key.jwk"),
    apiKey: join(root, "api-key"),
    caches: join(root, "caches.json"),
    joinToken: join(root, "join-token"),
    cluster: join(root, "cluster.json"),
    revoked: join(root, "revoked.json"),
  };
}

/** The data dir's paths, and what opening it had to repair. */
export interface OpenedDataDir {
  /** Every path. */
  paths: DataDir;
  /** Lines to print: temp files removed, secret files tightened. */
  warnings: string[];
}

/**
 * Creates the data dir and its `tls/` folder when missing (mode 0700), removes
 * temp files left by writes that were killed midway, and tightens secret files
 * found readable by others to 0600 (with a warning each).
 *
 * @param root absolute path of the data dir
 * @returns its paths and the warnings to print
 */
export async function ensureDataDir(root: string): Promise<OpenedDataDir> {
  const paths = dataDirPaths(root);
  await Deno.mkdir(paths.tlsDir, { recursive: true, mode: 0o700 });
  const warnings: string[] = [];
  for (const dir of [paths.root, paths.tlsDir]) {
    const removed = await removeStaleTempFiles(dir);
    if (removed.length > 0) {
      warnings.push(
        `removed ${removed.length} temp file(s) left by an interrupted write in ${dir}`,
      );
    }
  }
  for (
    const secret of [
      paths.caKey,
      paths.serverKey,
      paths.signingKey,
      paths.apiKey,
      paths.joinToken,
    ]
  ) {
    const warning = await tightenSecretFile(secret);
    if (warning !== undefined) warnings.push(warning);
  }
  return { paths, warnings };
}
