/**
 * zstd for `set(..., { compress: true })` and automatic decompression on
 * reads. Uses the runtime's native zstd when it has one (`node:zlib`'s
 * `zstdCompress`: Deno, Node >= 22.15), else the npm package
 * `@bokuweb/zstd-wasm`. Both are loaded lazily, on the first compressed value,
 * through dynamic imports, so nothing here touches `node:` modules at load
 * time and the module runs unchanged in browsers.
 *
 * @module
 */

import { CompressionLevel } from "./_sdk_core.ts";

/** The first four bytes of every zstd frame. */
const ZSTD_MAGIC: readonly number[] = [0x28, 0xb5, 0x2f, 0xfd];

/** zstd levels for Momento's compression levels. */
const ZSTD_LEVELS: Readonly<Record<CompressionLevel, number>> = {
  [CompressionLevel.Fastest]: 1,
  [CompressionLevel.Balanced]: 3,
  [CompressionLevel.SmallestSize]: 9,
};

/**
 * True when `bytes` start with the zstd magic number.
 *
 * @param bytes a value
 *
 * @example
 * ```ts
 * import { isZstd } from "./compression.ts";
 * if (!isZstd(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0))) throw new Error();
 * if (isZstd(new TextEncoder().encode("plain"))) throw new Error();
 * ```
 */
export function isZstd(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ZSTD_MAGIC.every((b, i) => bytes[i] === b);
}

/** One zstd implementation. */
export interface Zstd {
  /** "native" (node:zlib) or "wasm" (@bokuweb/zstd-wasm). */
  readonly kind: "native" | "wasm";
  compress(bytes: Uint8Array, level: number): Promise<Uint8Array>;
  decompress(bytes: Uint8Array): Promise<Uint8Array>;
}

type Callback = (err: Error | null, out: Uint8Array) => void;
interface NodeZlib {
  zstdCompress?: (b: Uint8Array, o: object, cb: Callback) => void;
  zstdDecompress?: (b: Uint8Array, cb: Callback) => void;
  constants: Record<string, number>;
}

/** The runtime's zstd, when `node:zlib` has one. */
async function nativeZstd(): Promise<Zstd | undefined> {
  let zlib: NodeZlib;
  try {
    // A computed specifier: bundlers for browsers leave it alone, and a
    // runtime without node:zlib fails here and falls back to Wasm.
    const specifier = ["node", "zlib"].join(":");
    zlib = await import(specifier);
  } catch {
    return undefined;
  }
  const { zstdCompress, zstdDecompress, constants } = zlib;
  const levelParam = constants.ZSTD_c_compressionLevel;
  if (!zstdCompress || !zstdDecompress || levelParam === undefined) {
    return undefined;
  }
  const call = (run: (cb: Callback) => void) =>
    new Promise<Uint8Array>((resolve, reject) =>
      run((err, out) => err ? reject(err) : resolve(new Uint8Array(out)))
    );
  return {
    kind: "native",
    compress: (bytes, level) =>
      call((cb) =>
        zstdCompress(bytes, {
          params: { [levelParam]: level },
          pledgedSrcSize: bytes.length,
        }, cb)
      ),
    decompress: (bytes) => call((cb) => zstdDecompress(bytes, cb)),
  };
}

interface ZstdWasmModule {
  init(): Promise<void>;
  compress(bytes: Uint8Array, level: number): Uint8Array;
  decompress(
    bytes: Uint8Array,
    opts?: { defaultHeapSize: number },
  ): Uint8Array;
}

// Output buffers tried in turn when a frame does not carry its content size.
const WASM_HEAP_SIZES = [1 << 20, 1 << 24, 1 << 26];

/** @bokuweb/zstd-wasm, initialised once. */
async function wasmZstd(): Promise<Zstd> {
  const imported = await import("@bokuweb/zstd-wasm") as
    & Partial<ZstdWasmModule>
    & { default?: ZstdWasmModule };
  const mod = (imported.init ? imported : imported.default) as ZstdWasmModule;
  await mod.init();
  return {
    kind: "wasm",
    compress: (bytes, level) => Promise.resolve(mod.compress(bytes, level)),
    decompress(bytes) {
      let last: unknown;
      for (const defaultHeapSize of WASM_HEAP_SIZES) {
        try {
          return Promise.resolve(mod.decompress(bytes, { defaultHeapSize }));
        } catch (err) {
          last = err;
        }
      }
      return Promise.reject(last);
    },
  };
}

let loaded: Promise<Zstd> | undefined;
let wasmLoaded: Promise<Zstd> | undefined;

/**
 * The zstd implementation this runtime uses (loaded once).
 *
 * @param prefer "auto" (native when present) or "wasm" (always Wasm)
 * @returns a zstd implementation
 */
function loadZstd(prefer: "auto" | "wasm" = "auto"): Promise<Zstd> {
  if (prefer === "wasm") return wasmLoaded ??= wasmZstd();
  loaded ??= nativeZstd().then((native) =>
    native ?? (wasmLoaded ??= wasmZstd())
  );
  return loaded;
}

/** How the client compresses values (`Configuration.withCompressionStrategy`). */
export interface CompressionStrategy {
  /** Level for `compress: true`. Default Balanced (zstd level 3). */
  compressionLevel?: CompressionLevel;
  /** Decompress zstd values on reads unless a call says otherwise. Default true. */
  automaticDecompression?: boolean;
  /** "auto": native zstd when the runtime has it, else Wasm; "wasm": always Wasm. */
  implementation?: "auto" | "wasm";
}

/**
 * Compresses a value with zstd at a Momento compression level.
 *
 * @param bytes the value
 * @param strategy the client's compression settings
 * @returns a zstd frame
 */
export async function compressValue(
  bytes: Uint8Array,
  strategy: CompressionStrategy,
): Promise<Uint8Array> {
  const zstd = await loadZstd(strategy.implementation);
  const level = ZSTD_LEVELS[strategy.compressionLevel ?? "Balanced"];
  return await zstd.compress(bytes, level);
}

/**
 * The value decompressed when it is a zstd frame, else the value itself (also
 * when it only looks like one: a value that fails to decompress is returned
 * as stored).
 *
 * @param bytes a stored value
 * @param strategy the client's compression settings
 */
export async function decompressIfCompressed(
  bytes: Uint8Array,
  strategy: CompressionStrategy,
): Promise<Uint8Array> {
  if (!isZstd(bytes)) return bytes;
  const zstd = await loadZstd(strategy.implementation);
  try {
    return await zstd.decompress(bytes);
  } catch {
    return bytes;
  }
}
