/**
 * Loads the dev CA and server certificate from the data dir, creating or
 * renewing them as needed: the CA is kept across restarts (it is what clients
 * trust); the server certificate is reissued when the requested host is not
 * among its names, when it is near expiry, or when it was not signed by the CA.
 *
 * @module
 */

import type { DataDir } from "./data_dir.ts";
import {
  certCovers,
  createDevCa,
  createServerCert,
  expiresSoon,
  keyMatches,
  LOCAL_NAMES,
  type PemPair,
  signedBy,
} from "./dev_certs.ts";
import { readTextIfExists, writeFileAtomic } from "./_files.ts";

/** Renew a certificate when it has fewer days of validity left than this. */
export const RENEW_MARGIN_DAYS = 30;

/** The TLS material a listener needs, plus what happened while loading it. */
export interface TlsMaterial {
  /** Server certificate, PEM (for `Deno.serve({ cert })`). */
  cert: string;
  /** Server private key, PEM (for `Deno.serve({ key })`). */
  key: string;
  /** The dev CA certificate, PEM: what clients trust. */
  caCert: string;
  /** Path of the CA certificate file, for `curl --cacert`. */
  caCertPath: string;
  /** The CA's certificate and key: a control service issues node certificates with it. */
  ca: PemPair;
  /** True when the CA was created by this call. */
  createdCa: boolean;
  /** True when the server certificate was (re)issued by this call. */
  issuedServerCert: boolean;
}

/**
 * True for hosts that mean "every interface" rather than a name to connect to.
 *
 * @param host a --host value
 */
export function isWildcardHost(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

/**
 * Names the server certificate must carry for `host`: localhost, 127.0.0.1,
 * ::1, and the host itself (for a wildcard host, the machine's host name).
 *
 * @param host the --host value
 */
export function serverNames(host: string): string[] {
  const names = [...LOCAL_NAMES];
  const extra = isWildcardHost(host) ? safeHostname() : unbracket(host);
  if (extra && !names.includes(extra)) names.push(extra);
  return names;
}

/**
 * Loads or creates the dev CA and a server certificate valid for `host`.
 *
 * @param paths the data dir (must exist, see `ensureDataDir`)
 * @param host the host the server is asked to listen on
 * @param now the current time (injectable for tests)
 */
export async function loadOrCreateTls(
  paths: DataDir,
  host: string,
  now = new Date(),
): Promise<TlsMaterial> {
  let createdCa = false;
  let ca = await readPair(paths.caCert, paths.caKey);
  if (
    !ca || expiresSoon(ca.certPem, RENEW_MARGIN_DAYS, now) ||
    !(await keyMatches(ca.certPem, ca.keyPem))
  ) {
    ca = await createDevCa(now);
    await writePair(paths.caCert, paths.caKey, ca);
    createdCa = true;
  }

  let server = await readPair(paths.serverCert, paths.serverKey);
  const wanted = isWildcardHost(host) ? undefined : unbracket(host);
  const stale = !server || createdCa ||
    (wanted !== undefined && !certCovers(server.certPem, wanted)) ||
    expiresSoon(server.certPem, RENEW_MARGIN_DAYS, now) ||
    !(await signedBy(server.certPem, ca.certPem)) ||
    !(await keyMatches(server.certPem, server.keyPem));
  if (stale || !server) {
    server = await createServerCert(ca, serverNames(host), now);
    await writePair(paths.serverCert, paths.serverKey, server);
  }

  return {
    cert: server.certPem,
    key: server.keyPem,
    caCert: ca.certPem,
    caCertPath: paths.caCert,
    ca,
    createdCa,
    issuedServerCert: stale,
  };
}

async function readPair(
  certPath: string,
  keyPath: string,
): Promise<PemPair | undefined> {
  const certPem = await readTextIfExists(certPath);
  const keyPem = await readTextIfExists(keyPath);
  if (certPem === undefined || keyPem === undefined) return undefined;
  return { certPem, keyPem };
}

async function writePair(
  certPath: string,
  keyPath: string,
  pair: PemPair,
): Promise<void> {
  // Key first: a crash in between leaves a certificate that does not match
  // its key, which the next start detects (keyMatches) and reissues.
  await writeFileAtomic(keyPath, pair.keyPem, { mode: 0o600 });
  await writeFileAtomic(certPath, pair.certPem, { mode: 0o644 });
}

/**
 * The host without IPv6 brackets (as `Deno.serve` and certificates want it).
 *
 * @param host a --host value
 */
export function unbracket(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function safeHostname(): string | undefined {
  try {
    return Deno.hostname();
  } catch {
    return undefined;
  }
}
