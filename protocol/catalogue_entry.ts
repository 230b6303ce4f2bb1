/**
 * What one entry of the operation catalogue holds (`catalogue.ts`).
 *
 * @module
 */

import type { z } from "zod";

/** Which kind of item an operation works on. */
export type Family = "scalar" | "dictionary" | "list" | "set" | "sortedSet";

/**
 * What an operation needs from a token's role (Momento's model):
 * - `read`: returns state, writes nothing (readonly and readwrite).
 * - `write`: writes, returns nothing about prior state (writeonly and readwrite).
 * - `readWrite`: conditional writes and writes that return state, e.g. a list
 *   push's new length or a pop (readwrite only).
 */
export type Access = "read" | "write" | "readWrite";

/** One operation: everything every layer knows about it. */
export interface OpEntry<
  A extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  /** One line for the reference. */
  summary: string;
  family: Family;
  access: Access;
  /**
   * Safe to run twice (what a client may retry): running it again after an
   * unknown outcome leaves the same state.
   */
  idempotent: boolean;
  /**
   * The array argument that counts toward rate limits (Momento: elements/2
   * operations, at least 1); one operation when absent.
   */
  counts?: string;
  /**
   * The arguments: input is the JSON form, output what a store receives. Its
   * leaves' limit roles (`catalogue_parts.ts`) say which bytes are keys,
   * values and elements.
   */
  args: A;
  /** The result: input is the JSON form, output what a store answers. */
  result: R;
}

/**
 * An entry, typed as given (the catalogue's types are inferred from it).
 *
 * @param entry the operation's entry
 */
export function operation<
  A extends z.ZodType,
  R extends z.ZodType,
  const F extends Family,
>(entry: OpEntry<A, R> & { family: F }): OpEntry<A, R> & { family: F } {
  return entry;
}
