/**
 * Converts a key-only cache trace to the format of `../shared/traces/` (gzip
 * text, `key size` a line), so `deno task bench:hits --traces DIR` replays it.
 * Keys are renumbered 0, 1, 2... in order of first appearance and every value
 * is `--size` bytes (default 100): the shared web07 trace is exactly this
 * conversion of cache2k's web07.
 *
 * Formats (those of ben-manes/caffeine's simulator resources):
 * - `int32be`: 4-byte big-endian keys (cache2k: web07, web12, orm-busy,
 *   orm-night)
 * - `int64be`: 8-byte big-endian keys (scarab, corda)
 * - `lines`: one decimal key a line, `*` lines skipped (the LIRS traces)
 *
 * ```sh
 * xz -dc web12.trace.xz | deno run -A bench/convert_trace.ts --format int32be > web12.txt.gz
 * zcat sprite.trace.gz | deno run -A bench/convert_trace.ts --format lines > lirs-sprite.txt.gz
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";

/** The input formats. */
export const FORMATS = ["int32be", "int64be", "lines"] as const;

/** One of {@linkcode FORMATS}. */
export type TraceFormat = typeof FORMATS[number];

/** The keys of a raw trace, in request order. */
export function* rawKeys(
  format: TraceFormat,
  bytes: Uint8Array,
): Generator<string | number | bigint> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = format === "int32be" ? 4 : 8;
  if (format !== "lines" && bytes.length % width !== 0) {
    throw new RangeError(
      `Cannot convert trace: ${bytes.length} bytes is not a whole number of ${width}-byte keys`,
    );
  }
  if (format === "int32be") {
    for (let o = 0; o < bytes.length; o += 4) yield view.getInt32(o);
  } else if (format === "int64be") {
    for (let o = 0; o < bytes.length; o += 8) yield view.getBigInt64(o);
  } else {
    for (const line of new TextDecoder().decode(bytes).split("\n")) {
      const key = line.trim();
      if (key !== "" && key !== "*") yield key;
    }
  }
}

/** A trace's lines in the bench's format, and how many keys it has. */
export function convertTrace(
  format: TraceFormat,
  bytes: Uint8Array,
  size = 100,
): { text: string; requests: number; keys: number } {
  const ids = new Map<string | number | bigint, number>();
  const lines: string[] = [];
  for (const key of rawKeys(format, bytes)) {
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    lines.push(`${id} ${size}\n`);
  }
  return { text: lines.join(""), requests: lines.length, keys: ids.size };
}

/** Writes `text` gzipped to `out` (and closes it). */
export async function writeGzip(
  text: string,
  out: WritableStream<Uint8Array>,
): Promise<void> {
  await new Blob([text]).stream()
    .pipeThrough(new CompressionStream("gzip"))
    .pipeTo(out);
}

async function main(args: string[]): Promise<void> {
  const flags = parseArgs({
    args,
    options: {
      format: { type: "string", default: "lines" },
      size: { type: "string", default: "100" },
    },
  }).values;
  const format = flags.format;
  const size = Number(flags.size);
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new RangeError(
      `--format must be one of ${FORMATS.join(", ")}: received ${format}`,
    );
  }
  if (!Number.isInteger(size) || size < 0) {
    throw new RangeError(`--size must be an integer >= 0: received ${size}`);
  }
  const input = new Uint8Array(
    await new Response(Deno.stdin.readable).arrayBuffer(),
  );
  const out = convertTrace(format as TraceFormat, input, size);
  await writeGzip(out.text, Deno.stdout.writable);
  console.error(`${out.requests} requests, ${out.keys} keys`);
}

if (import.meta.main) await main(Deno.args);
