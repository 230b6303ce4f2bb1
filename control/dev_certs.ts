/**
 * Generates the dev CA and server certificates in process, with @peculiar/x509
 * over WebCrypto (no openssl binary): ECDSA P-256 keys, SHA-256 signatures.
 *
 * @module
 */

import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(crypto);

const EC_ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const DAY_MS = 24 * 60 * 60 * 1000;

/** Validity of a dev CA: ten years. */
export const CA_VALIDITY_DAYS = 3650;
/** Validity of a server certificate: 397 days, the most browsers accept. */
export const SERVER_VALIDITY_DAYS = 397;

/** A certificate and its private key, both PEM. */
export interface PemPair {
  /** Certificate, PEM. */
  certPem: string;
  /** Private key, PKCS#8 PEM. */
  keyPem: string;
}

/** Names every server certificate covers, whatever the host. */
export const LOCAL_NAMES: readonly string[] = ["localhost", "127.0.0.1", "::1"];

/**
 * Creates a self-signed dev CA that may only sign end-entity certificates.
 *
 * @param now the issue time
 */
export async function createDevCa(now = new Date()): Promise<PemPair> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=kvolt dev CA ${randomHex(4)}, O=kvolt`,
    keys,
    serialNumber: randomSerial(),
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: EC_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await exportKey(keys) };
}

/**
 * Creates a server certificate for `names` (DNS names or IP addresses),
 * signed by the CA.
 *
 * @param ca the CA's certificate and key
 * @param names subject alternative names
 * @param now the issue time
 */
export async function createServerCert(
  ca: PemPair,
  names: readonly string[],
  now = new Date(),
): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importPrivateKey(ca.keyPem);
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    subject: "CN=kvolt dev server, O=kvolt",
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    serialNumber: randomSerial(),
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + SERVER_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: EC_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(generalNames(names)),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await exportKey(keys) };
}

/**
 * True when the certificate's subject alternative names cover `name`
 * (IP addresses are compared in canonical form, so `::1` matches `0:0::1`).
 *
 * @param certPem the certificate, PEM
 * @param name a DNS name or an IP address
 */
export function certCovers(certPem: string, name: string): boolean {
  const san = new x509.X509Certificate(certPem).getExtension(
    x509.SubjectAlternativeNameExtension,
  );
  if (!san) return false;
  const wanted = new x509.SubjectAlternativeNameExtension(generalNames([name]))
    .names.toJSON()[0];
  return san.names.toJSON().some((n) =>
    n.type === wanted?.type &&
    n.value.toLowerCase() === wanted.value.toLowerCase()
  );
}

/**
 * True when the certificate expires within `marginDays` of `now` (or has
 * expired, or is not yet valid).
 *
 * @param certPem the certificate, PEM
 * @param marginDays days of validity it must have left
 * @param now the time to judge at
 */
export function expiresSoon(
  certPem: string,
  marginDays: number,
  now = new Date(),
): boolean {
  const cert = new x509.X509Certificate(certPem);
  return cert.notBefore.getTime() > now.getTime() ||
    cert.notAfter.getTime() - now.getTime() < marginDays * DAY_MS;
}

/**
 * True when `certPem` carries a valid signature by the CA in `caPem`.
 *
 * @param certPem the certificate to check, PEM
 * @param caPem the CA certificate, PEM
 */
export async function signedBy(
  certPem: string,
  caPem: string,
): Promise<boolean> {
  const cert = new x509.X509Certificate(certPem);
  const ca = new x509.X509Certificate(caPem);
  return await cert.verify({ publicKey: ca.publicKey, signatureOnly: true });
}

/**
 * True when the private key in `keyPem` belongs to the certificate.
 *
 * @param certPem the certificate, PEM
 * @param keyPem its supposed private key, PKCS#8 PEM
 */
export async function keyMatches(
  certPem: string,
  keyPem: string,
): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(certPem);
    const certKey = await cert.publicKey.export(EC_ALGORITHM, ["verify"]);
    const fromCert = await crypto.subtle.exportKey("jwk", certKey);
    const privateKey = await importPrivateKey(keyPem, true);
    const fromKey = await crypto.subtle.exportKey("jwk", privateKey);
    return fromCert.x === fromKey.x && fromCert.y === fromKey.y;
  } catch {
    return false;
  }
}

function generalNames(names: readonly string[]): x509.JsonGeneralNames {
  return names.map((value) => ({
    type: isIpAddress(value) ? "ip" : "dns",
    value,
  }));
}

/**
 * True for an IPv4 or IPv6 address literal (IPv6 without brackets).
 *
 * @param host a host name or address
 */
export function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ||
    (host.includes(":") && /^[0-9a-fA-F:.]+$/.test(host));
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return await crypto.subtle.generateKey(EC_ALGORITHM, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
}

async function exportKey(keys: CryptoKeyPair): Promise<string> {
  const der = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

async function importPrivateKey(
  pem: string,
  extractable = false,
): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return await crypto.subtle.importKey(
    "pkcs8",
    der,
    EC_ALGORITHM,
    extractable,
    ["sign"],
  );
}

function randomHex(bytes: number): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

function randomSerial(): string {
  // 16 random bytes, top bit clear so the DER integer stays positive.
  return "7" + randomHex(16).slice(1);
}
