/**
 * The operation catalogue: the single source of what every data operation
 * is. One entry per operation (`catalogue_scalar.ts`,
 * `catalogue_collections.ts`, `catalogue_sorted_sets.ts`) carries its family,
 * access class, idempotence, the array that counts toward rate limits, and
 * zod schemas of its arguments and result; the limit roles of the arguments' leaves say which bytes are
 * keys, values and elements. Everything else is derived:
 *
 * - the TypeScript types every layer uses ({@linkcode OpArgs},
 *   {@linkcode OpResult}, and their JSON forms {@linkcode WireArgs},
 *   {@linkcode WireResult});
 * - validation of JSON arguments (`gateway/json_api_args.ts`) and the limits
 *   check (`op_limits.ts`);
 * - the keys an operation touches (token scopes, the router) and its element
 *   count (rate limits): {@linkcode OPERATIONS};
 * - the OpenAPI document (`gateway/openapi.ts`);
 * - the SDK's typed calls and result decoding (`client/op_runner.ts`);
 * - the binary codec of the peer protocol (`peer_codec.ts`).
 *
 * Adding an operation is one entry here plus its store code (the reference
 * model's and the Wasm store's handlers).
 *
 * @example The JSON form of an operation's arguments
 * ```ts
 * import { CATALOGUE } from "./catalogue.ts";
 * const args = CATALOGUE.set.args.parse({ key: "k", value: "v", ttlMs: 1000 });
 * if (args.key[0] !== 107) throw new Error("key not decoded");
 * ```
 *
 * @module
 */

import type { z } from "zod";
import type { Access, Family, OpEntry } from "./catalogue_entry.ts";
import { COLLECTION_OPERATIONS } from "./catalogue_collections.ts";
import { SCALAR_OPERATIONS } from "./catalogue_scalar.ts";
import { SORTED_SET_OPERATIONS } from "./catalogue_sorted_sets.ts";
import { roleLeaves, type Step, visitPath } from "./schema_walk.ts";

export type { Access, Family, OpEntry };

/** Every operation, by name. */
export const CATALOGUE = {
  ...SCALAR_OPERATIONS,
  ...COLLECTION_OPERATIONS,
  ...SORTED_SET_OPERATIONS,
} as const;

/** The catalogue's type. */
export type Catalogue = typeof CATALOGUE;
/** The name of an operation. */
export type OpName = keyof Catalogue;
/** Arguments of operation `K`, as a store receives them. */
export type OpArgs<K extends OpName> = z.output<Catalogue[K]["args"]>;
/** Result of operation `K`, as a store answers it. */
export type OpResult<K extends OpName> = z.output<Catalogue[K]["result"]>;
/** Arguments of operation `K` in JSON (bytes as WireBytes). */
export type WireArgs<K extends OpName> = z.input<Catalogue[K]["args"]>;
/** Result of operation `K` in JSON (bytes as WireBytes). */
export type WireResult<K extends OpName> = z.input<Catalogue[K]["result"]>;
/** Operations of one family. */
export type OpOfFamily<F extends Family> = {
  [K in OpName]: Catalogue[K]["family"] extends F ? K : never;
}[OpName];

/** Every operation name, in catalogue order. */
export const OP_NAMES = Object.keys(CATALOGUE) as OpName[];

/** Whether a string names an operation. */
export function isOpName(name: string): name is OpName {
  return Object.hasOwn(CATALOGUE, name);
}

/** What is derived from an entry for the data path. */
export interface OperationInfo {
  family: Family;
  access: Access;
  idempotent: boolean;
  /** Item keys the operation touches (every one is checked against the token's scope). */
  keys(args: object): Uint8Array[];
  /** Elements it carries or asks for, for rate limits (Momento: elements/2 operations, at least 1). */
  elements(args: object): number;
}

function keysGetter(paths: readonly (readonly Step[])[]) {
  // the common case, one `key` argument, without a walk
  if (paths.length === 1 && paths[0]!.length === 1 && paths[0]![0] === "key") {
    return (a: object) => [(a as { key: Uint8Array }).key];
  }
  return (a: object) => {
    const keys: Uint8Array[] = [];
    for (const path of paths) {
      visitPath(a, path, (k) => keys.push(k as Uint8Array));
    }
    return keys;
  };
}

function elementsGetter(field: string | undefined) {
  if (field === undefined) return () => 1;
  return (a: object) =>
    Math.max(
      1,
      ((a as Record<string, unknown[] | undefined>)[field]?.length ?? 0) / 2,
    );
}

function infoOf(entry: OpEntry): OperationInfo {
  const keyPaths = roleLeaves(entry.args).filter((l) => l.role === "key")
    .map((l) => l.path);
  return {
    family: entry.family,
    access: entry.access,
    idempotent: entry.idempotent,
    keys: keysGetter(keyPaths),
    elements: elementsGetter(entry.counts),
  };
}

/** Family, access class, idempotence, keys and element count of every operation. */
export const OPERATIONS: { readonly [K in OpName]: OperationInfo } = Object
  .fromEntries(
    OP_NAMES.map((op) => [op, infoOf(CATALOGUE[op] as OpEntry)]),
  ) as { [K in OpName]: OperationInfo };

/** Operations safe to run twice (what a client may retry). */
export const IDEMPOTENT_OPS: ReadonlySet<OpName> = new Set(
  OP_NAMES.filter((op) => CATALOGUE[op].idempotent),
);
