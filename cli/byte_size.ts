/**
 * Parses byte sizes written with a unit, as in `--capacity 256MiB`.
 *
 * @module
 */

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * Parses a size such as `256MiB`, `1.5GiB`, `500MB` or `1048576` into bytes
 * (IEC units are powers of 1024, SI units powers of 1000; case-insensitive).
 *
 * @param text the size
 * @returns whole bytes (rounded down)
 * @throws {RangeError} when the text is not a size
 *
 * @example
 * ```ts
 * import { parseByteSize } from "./byte_size.ts";
 * if (parseByteSize("256MiB") !== 256 * 1024 * 1024) throw new Error("wrong");
 * ```
 */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const multiplier = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || multiplier === undefined) {
    throw new RangeError(
      `Invalid size: expected a number with an optional unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB): received ${
        JSON.stringify(text)
      }`,
    );
  }
  const bytes = Math.floor(Number(match[1]) * multiplier);
  if (!Number.isSafeInteger(bytes)) {
    throw new RangeError(`Invalid size: too large: received ${text}`);
  }
  return bytes;
}

/**
 * Formats bytes with the largest IEC unit that divides them evenly.
 *
 * @param bytes a byte count
 */
export function formatByteSize(bytes: number): string {
  for (const unit of ["TiB", "GiB", "MiB", "KiB"]) {
    const size = UNITS[unit.toLowerCase()]!;
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}
