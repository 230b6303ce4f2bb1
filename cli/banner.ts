/**
 * What `kvolt serve` prints once it listens: the API key, curl lines that work
 * as pasted, and last the ready line that scripts and tests wait for.
 *
 * @module
 */

/** Start of the ready line; the listening URL follows it. */
export const READY_PREFIX = "kvolt ready: listening on ";

/** What the banner shows. */
export interface BannerInfo {
  /** Base URL clients use, e.g. `https://127.0.0.1:8443`. */
  url: string;
  /** The data dir. */
  dataDir: string;
  /** The super-user API key. */
  apiKey: string;
  /**
   * True when the key was minted by this start (first start, or re-issued):
   * only then is it printed; otherwise the banner says where it is.
   */
  apiKeyCreated?: boolean;
  /** Where the API key is stored. */
  apiKeyPath: string;
  /** The dev CA file clients trust; undefined for plaintext HTTP. */
  caCertPath?: string;
  /** Notes to show first (e.g. "created a dev CA"). */
  notes?: string[];
}

/**
 * The banner's lines, ready line last.
 *
 * @param info what to show
 *
 * @example
 * ```ts
 * import { bannerLines, READY_PREFIX } from "./banner.ts";
 * const lines = bannerLines({ url: "http://127.0.0.1:1", dataDir: "/d", apiKey: "k", apiKeyPath: "/d/api-key" });
 * if (lines.at(-1) !== READY_PREFIX + "http://127.0.0.1:1") throw new Error();
 * ```
 */
export function bannerLines(info: BannerInfo): string[] {
  const cacert = info.caCertPath
    ? `--cacert ${shellQuote(info.caCertPath)} `
    : "";
  const auth = info.apiKeyCreated
    ? `-H "Authorization: ${info.apiKey}"`
    : `-H "Authorization: $(cat ${shellQuote(info.apiKeyPath)})"`;
  const item = `${info.url}/cache/default?key=greeting`;
  return [
    ...(info.notes ?? []).map((note) => `kvolt: ${note}`),
    `kvolt: data dir ${info.dataDir}`,
    ...(info.caCertPath
      ? [`kvolt: dev CA (trust this file): ${info.caCertPath}`]
      : ["kvolt: plaintext HTTP (loopback only)"]),
    ...(info.apiKeyCreated
      ? [`kvolt: super-user API key (also in ${info.apiKeyPath}):`, info.apiKey]
      : [`kvolt: super-user API key in ${info.apiKeyPath}`]),
    "Try it:",
    `  curl ${cacert}-X PUT ${auth} --data-binary 'hello' '${item}&ttl_seconds=600'`,
    `  curl ${cacert}${auth} '${item}'`,
    READY_PREFIX + info.url,
  ];
}

/**
 * Quotes a word for a POSIX shell when it needs quoting.
 *
 * @param word a path or argument
 */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
