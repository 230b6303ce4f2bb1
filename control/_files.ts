/**
 * File helpers the control service shares: atomic, durable writes (temp file,
 * fsync, rename, fsync of the folder), the clean-up of temp files a killed
 * write left behind, secret files kept at 0600, and reads that treat a
 * missing file as `undefined`.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";

/** A write that failed: names the file meant (not the temp file) and the errno. */
export class FileWriteError extends Error {
  /** The file that could not be written. */
  readonly path: string;
  /** The system's error code, e.g. `EACCES`, `ENOSPC`, `EROFS`. */
  readonly errno: string;

  /**
   * @param path the file meant
   * @param cause the underlying error
   */
  constructor(path: string, cause: unknown) {
    const errno = (cause as { code?: unknown })?.code;
    const code = typeof errno === "string" ? errno : "EIO";
    const reason = cause instanceof Error
      ? cause.message.replace(/ \(os error \d+\).*$/, "")
      : String(cause);
    super(`Cannot write ${path}: ${code}: ${reason}`, { cause });
    this.name = "FileWriteError";
    this.path = path;
    this.errno = code;
  }
}

// `.<uuid>.tmp`: the temp files writeFileAtomic makes.
const TEMP_NAME =
  /^\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

/** Options for {@linkcode writeFileAtomic}. */
export interface WriteOptions {
  /** File mode of the written file, e.g. `0o600` for secrets (ignored on Windows). */
  mode?: number;
}

/**
 * Writes `data` to `path` so that readers see either the old or the new content,
 * never a torn file, and a crash after it returns loses nothing: the data goes
 * to a temp file beside it, which is fsynced, renamed over `path`, and the
 * folder fsynced so the rename itself is durable.
 *
 * @param path the file to (re)write
 * @param data text or bytes
 * @param options file mode
 * @throws {FileWriteError} naming `path` and the errno
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
    const file = await Deno.open(temp, {
      write: true,
      createNew: true,
      mode: options.mode ?? 0o644,
    });
    try {
      if (options.mode !== undefined && Deno.build.os !== "windows") {
        // The mode given to open is masked by the umask; make it exact.
        await Deno.chmod(temp, options.mode);
      }
      for (let at = 0; at < bytes.length;) {
        at += await file.write(bytes.subarray(at));
      }
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
    await syncDir(dirname(path));
  } catch (err) {
    await Deno.remove(temp).catch(() => {});
    throw new FileWriteError(path, err);
  }
}

async function syncDir(dir: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  const handle = await Deno.open(dir, { read: true });
  try {
    await handle.sync();
  } finally {
    handle.close();
  }
}

/**
 * Removes the temp files (`.<uuid>.tmp`) that writes killed midway left in
 * `dir`; the files they were meant to replace are intact.
 *
 * @param dir a folder written by {@linkcode writeFileAtomic}
 * @returns the names removed
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !TEMP_NAME.test(entry.name)) continue;
      await Deno.remove(join(dir, entry.name)).catch(() => {});
      removed.push(entry.name);
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return removed;
}

/**
 * Tightens a secret file that others may read (any group or other bit) to
 * 0600. A missing file is left alone.
 *
 * @param path a secret file (private key, signing key, API key)
 * @returns a warning to print when the mode was changed, else undefined
 */
export async function tightenSecretFile(
  path: string,
): Promise<string | undefined> {
  if (Deno.build.os === "windows") return undefined;
  let mode: number | null;
  try {
    mode = (await Deno.stat(path)).mode;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
  if (mode === null || (mode & 0o077) === 0) return undefined;
  await Deno.chmod(path, 0o600);
  return `warning: ${basename(path)} was readable by others (mode ${
    (mode & 0o777).toString(8).padStart(4, "0")
  }): changed to 0600: ${path}`;
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
