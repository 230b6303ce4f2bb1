/**
 * {@linkcode FileRevocations}: revoked token ids in the data dir
 * (`revoked.json`, written atomically), for `kvolt serve`. A cluster keeps
 * them in the control service instead, which publishes them with the
 * topology.
 *
 * @module
 */

import type { Revocations } from "../protocol/claims.ts";
import { readTextIfExists, writeFileAtomic } from "./_files.ts";

/** Revoked token ids in one JSON file. */
export class FileRevocations implements Revocations {
  readonly #path: string;
  readonly #ids: Set<string>;
  #writes: Promise<void> = Promise.resolve();

  private constructor(path: string, ids: Set<string>) {
    this.#path = path;
    this.#ids = ids;
  }

  /** Reads the file (none yet: nothing revoked). */
  static async open(path: string): Promise<FileRevocations> {
    const text = await readTextIfExists(path);
    const ids = text === undefined ? [] : JSON.parse(text);
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) {
      throw new Error(`${path}: not a list of token ids`);
    }
    return new FileRevocations(path, new Set(ids));
  }

  /** Every id revoked so far. */
  ids(): string[] {
    return [...this.#ids];
  }

  /** Adds an id; resolves once it is on disk. */
  revoke(id: string): Promise<void> {
    this.#ids.add(id);
    const text = JSON.stringify([...this.#ids]);
    this.#writes = this.#writes.then(() => writeFileAtomic(this.#path, text));
    return this.#writes;
  }
}
