/**
 * File helpers the control service shares: atomic writes (temp file + rename)
 * and reads that treat a missing file as `undefined`.
 *
 * @module
 */

import { dirname, join } from "node:path";

/** Options for {@linkcode writeFileAtomic}. */
export interface WriteOptions {
  /** File mode of the written file, e.g. `0o600` for secrets (ignored on Windows). */
  mode?: number;
}

/**
 * Writes `data` to `path` so that readers see either the old or the new content,
 * never a torn file: the data goes to a temp file beside it, which is then renamed.
 *
 * @param path the file to (re)write
 * @param data text or bytes
 * @param options file mode
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteOptions = {},
): Promise<void> {
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data;
  const temp = join(
    dirname(path),
    `.${crypto.randomUUID()}.tmp`,
  );
  try {
    await Deno.writeFile(temp, bytes, { mode: options.mode ?? 0o644 });
    if (options.mode !== undefined && Deno.build.os !== "windows") {
      // The mode passed to writeFile is masked by the umask; make it exact.
      await Deno.chmod(temp, options.mode);
    }
    await Deno.rename(temp, path);
  } catch (err) {
    await Deno.remove(temp).catch(() => {});
    throw err;
  }
}

/**
 * Reads a text file, or returns undefined when it does not exist.
 *
 * @param path the file to read
 * @returns its text, or undefined
 */
export async function readTextIfExists(
  path: string,
): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}
