/**
 * Turning an operation's JSON arguments into its typed arguments, with the
 * zod schemas of the catalogue (`protocol/catalogue.ts`). Errors are INVALID_ARGUMENT_ERROR
 * naming the field: `Invalid argument: items.2.ttlMs: expected int, received
 * number`.
 *
 * Speed: zod costs about 1 us per call, as much as the rest of a pipelined
 * get. `get` and `set` (the bulk of pipelines) have a hand-written fast path
 * that accepts exactly what their schema accepts and hands anything else to
 * zod, so error messages always come from the schema.
 *
 * @example
 * ```ts
 * import { parseOpArgs } from "./json_api_args.ts";
 * const args = parseOpArgs("get", { key: { base64: "AP8" } });
 * if (args.key.length !== 2) throw new Error("key not decoded");
 * ```
 *
 * @module
 */

import type { z } from "zod";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import type { OpArgs, OpName } from "../protocol/operations.ts";
import { CATALOGUE } from "../protocol/catalogue.ts";
import { decodeWireBytes } from "../protocol/wire_bytes.ts";

/**
 * The arguments of `op`, parsed from JSON.
 *
 * @typeParam K the operation
 * @param op a known operation name
 * @param json the parsed JSON arguments
 * @returns the typed arguments (bytes decoded)
 * @throws {KvoltError} INVALID_ARGUMENT_ERROR naming the first bad field
 */
export function parseOpArgs<K extends OpName>(op: K, json: unknown): OpArgs<K> {
  const fast = op === "get"
    ? fastGet(json)
    : op === "set"
    ? fastSet(json)
    : undefined;
  if (fast !== undefined) return fast as OpArgs<K>;
  const parsed = CATALOGUE[op].args.safeParse(json);
  if (parsed.success) return parsed.data as OpArgs<K>;
  throw new KvoltError(
    ErrorCode.INVALID_ARGUMENT,
    describeIssue(parsed.error.issues[0]),
  );
}

/** `{ key }` and nothing else, or undefined (zod then explains). */
function fastGet(json: unknown): OpArgs<"get"> | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  let fields = 0;
  for (const _ in json) fields++;
  if (fields !== 1) return undefined;
  const key = decodeWireBytes((json as { key?: unknown }).key);
  return key === undefined ? undefined : { key };
}

/** `{ key, value, ttlMs }` and nothing else, or undefined. */
function fastSet(json: unknown): OpArgs<"set"> | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  let fields = 0;
  for (const _ in json) fields++;
  if (fields !== 3) return undefined;
  const { key, value, ttlMs } = json as Record<string, unknown>;
  if (!Number.isSafeInteger(ttlMs) || (ttlMs as number) < 1) return undefined;
  const keyBytes = decodeWireBytes(key);
  const valueBytes = decodeWireBytes(value);
  if (keyBytes === undefined || valueBytes === undefined) return undefined;
  return { key: keyBytes, value: valueBytes, ttlMs: ttlMs as number };
}

/**
 * One zod issue as a message: `Invalid argument: <path>: <detail>`.
 *
 * @param issue the first issue zod reported
 * @returns the message
 */
export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return "Invalid argument: arguments: rejected";
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    return `Invalid argument: ${
      [...path, issue.keys[0]].join(".")
    }: unknown field`;
  }
  const where = path.length === 0 ? "arguments" : path.join(".");
  const message = issue.message.replace(/^Invalid input: /, "");
  if (/received undefined$/.test(message)) {
    return `Invalid argument: ${where}: missing`;
  }
  const detail = message.charAt(0).toLowerCase() + message.slice(1);
  return `Invalid argument: ${where}: ${detail}`;
}

const ARG_NAMES = new Map<string, ReadonlySet<string>>();
for (const [op, schema] of Object.entries(CATALOGUE)) {
  const shape = (schema.args as { shape?: Record<string, unknown> }).shape;
  if (shape !== undefined) ARG_NAMES.set(op, new Set(Object.keys(shape)));
}

/**
 * The argument names an operation takes (its schema's fields), for refusing
 * an unknown field before a large body is built; undefined for an unknown
 * operation.
 *
 * @param op an operation name, possibly unknown
 */
export function argNamesOf(op: string): ReadonlySet<string> | undefined {
  return ARG_NAMES.get(op);
}
