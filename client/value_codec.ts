/**
 * Values between the caller and the wire: compression on writes that ask for
 * it, decompression on reads (by magic bytes), and the wire form of keys.
 *
 * @module
 */

import { compressValue, decompressIfCompressed } from "./compression.ts";
import type { OpRunner } from "./op_runner.ts";
import { toBytes } from "./wire.ts";

/**
 * The bytes of a value to store, zstd-compressed when `compress` is true.
 *
 * @param r the runner (its compression settings)
 * @param value the caller's value
 * @param compress from the call's options
 */
export async function writeValue(
  r: OpRunner,
  value: string | Uint8Array,
  compress: boolean | undefined,
): Promise<Uint8Array> {
  if (!compress) return toBytes(value);
  return await compressValue(toBytes(value), r.compression);
}

/**
 * The arguments of a scalar write: the key, the value (compressed when
 * asked) and the TTL in ms (the default when none is given).
 *
 * @param r the runner (compression settings, default TTL)
 * @param key the caller's key
 * @param value the caller's value
 * @param options the call's TTL (seconds) and compression flag
 */
export async function scalarWriteArgs(
  r: OpRunner,
  key: string | Uint8Array,
  value: string | Uint8Array,
  options: { ttl?: number; compress?: boolean } | undefined,
): Promise<{ key: Uint8Array; value: Uint8Array; ttlMs: number }> {
  return {
    key: toBytes(key),
    value: await writeValue(r, value, options?.compress),
    ttlMs: r.scalarTtlMs(options?.ttl),
  };
}

/**
 * A stored value as the caller should see it: decompressed when it is zstd
 * and decompression is on (the call's `decompress` option, else the client's
 * automatic decompression setting, on by default).
 *
 * @param r the runner (its compression settings)
 * @param value the stored bytes
 * @param decompress from the call's options
 */
export async function readValue(
  r: OpRunner,
  value: Uint8Array,
  decompress: boolean | undefined,
): Promise<Uint8Array> {
  const on = decompress ?? r.compression.automaticDecompression ?? true;
  return on ? await decompressIfCompressed(value, r.compression) : value;
}

/** Bytes of several keys, fields or elements. */
export function bytesAll(
  values: readonly (string | Uint8Array)[],
): Uint8Array[] {
  return values.map(toBytes);
}
