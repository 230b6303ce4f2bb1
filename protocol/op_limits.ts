/**
 * The one place where an operation's (already shape-checked) arguments are
 * checked against the deployment's limits, before they reach a store. What
 * is checked where comes from the limit roles of the catalogue's schemas
 * (`catalogue_parts.ts`), walked once per operation:
 *
 * | role                                   | limit                 | error                                          |
 * | -------------------------------------- | --------------------- | ---------------------------------------------- |
 * | `key` (`key`, `keys.N`, `items.N.key`, `sources.N.key`) | 1 to 65531 bytes | 400 INVALID_ARGUMENT_ERROR          |
 * | `ttl` (`ttlMs`, `items.N.ttlMs`)       | 1 to `maxTtlMs`       | 400 INVALID_ARGUMENT_ERROR                     |
 * | `value` (a scalar's value, with its sibling key) | `maxItemBytes` | 413 LIMIT_EXCEEDED_ERROR item_size_limit_exceeded |
 * | `element` (field, value, element, member) | `maxElementBytes`  | 413 LIMIT_EXCEEDED_ERROR element_size_limit_exceeded |
 *
 * `hashEqual` and `hashNotEqual` take any bytes, as in Momento: a hash that
 * cannot be one getWithHash returns simply does not match.
 *
 * What depends on stored state (a collection's total size and length) is the
 * store's to check (`protocol/data_store.ts`). The request size is checked as
 * the body is read (`json_api_body.ts`).
 *
 * @example Refuse an element over the limit
 * ```ts
 * import { checkOpLimits, DEFAULT_OP_LIMITS } from "./op_limits.ts";
 * const args = {
 *   key: new Uint8Array(1),
 *   elements: [new Uint8Array(DEFAULT_OP_LIMITS.maxElementBytes + 1)],
 *   ttlMs: 1000,
 * };
 * let cause: string | undefined;
 * try {
 *   checkOpLimits("setAddElements", args, DEFAULT_OP_LIMITS);
 * } catch (err) {
 *   cause = (err as { limit?: string }).limit;
 * }
 * if (cause !== "element_size_limit_exceeded") throw new Error("not refused");
 * ```
 *
 * @module
 */

import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import { CATALOGUE, OP_NAMES, type OpName } from "./catalogue.ts";
import { roleLeaves, type Step, visitPath } from "./schema_walk.ts";

/** The limits {@linkcode checkOpLimits} enforces. */
export interface OpLimits {
  /** Longest key, in bytes. */
  maxKeyBytes: number;
  /** Largest collection element (each field, value, element or member). */
  maxElementBytes: number;
  /** Largest scalar item: key + value. */
  maxItemBytes: number;
  /** Longest TTL, in ms. */
  maxTtlMs: number;
}

/**
 * Longest key: 65531 bytes. The core's key length field holds 65535, and a
 * stored key is the 4-byte cache id followed by the user's key.
 */
export const MAX_KEY_BYTES = 65_531;
/** Default largest collection element: 128 KiB. */
export const DEFAULT_MAX_ELEMENT_BYTES = 128 * 1024;

/** Momento's defaults: 5 MiB items, 128 KiB elements, 24 h TTL. */
export const DEFAULT_OP_LIMITS: Readonly<OpLimits> = {
  maxKeyBytes: MAX_KEY_BYTES,
  maxElementBytes: DEFAULT_MAX_ELEMENT_BYTES,
  maxItemBytes: 5 * 1024 * 1024,
  maxTtlMs: 86_400_000,
};

type Check = (args: object, limits: OpLimits) => void;
type Leaf<T> = (found: T, where: string, limits: OpLimits) => void;

/**
 * A check of every value at `path`. A top-level field (most of them) is read
 * directly: this runs for every operation of a pipeline.
 */
function atPath<T>(path: readonly Step[], check: Leaf<T>): Check {
  if (path.length === 1 && typeof path[0] === "string") {
    const field = path[0];
    return (args, limits) => {
      const found = (args as Record<string, T | undefined>)[field];
      if (found !== undefined) check(found, field, limits);
    };
  }
  return (args, limits) =>
    visitPath(args, path, (found, where) => check(found as T, where, limits));
}

/** The checks of one operation, from its schema's limit roles. */
function checksOf(op: OpName): Check[] {
  const checks: Check[] = [];
  for (const { role, path } of roleLeaves(CATALOGUE[op].args)) {
    switch (role) {
      case "key":
        checks.push(atPath(path, checkKey));
        break;
      case "ttl":
        checks.push(atPath(path, checkTtl));
        break;
      case "element":
        checks.push(atPath(path, checkElement));
        break;
      case "value": {
        // key + value of the object holding the value
        const field = path[path.length - 1] as string;
        const itemOf: Leaf<Record<string, Uint8Array | undefined>> = (
          item,
          _where,
          limits,
        ) => {
          const v = item[field];
          if (v !== undefined) checkItem(item.key!, v, limits);
        };
        checks.push(
          path.length === 1
            ? (args, limits) =>
              itemOf(args as Record<string, Uint8Array>, "", limits)
            : atPath(path.slice(0, -1), itemOf),
        );
        break;
      }
    }
  }
  return checks;
}

const CHECKS = new Map<OpName, Check[]>(
  OP_NAMES.map((op) => [op, checksOf(op)]),
);

/**
 * Checks an operation's arguments against the limits.
 *
 * @param op the operation
 * @param args its arguments, shape-checked (bytes decoded)
 * @param limits the deployment's limits
 * @throws {KvoltError} INVALID_ARGUMENT_ERROR or LIMIT_EXCEEDED_ERROR naming
 * the field (see the module doc)
 */
export function checkOpLimits(
  op: OpName,
  args: object,
  limits: OpLimits,
): void {
  for (const check of CHECKS.get(op)!) check(args, limits);
}

function invalid(path: string, detail: string): KvoltError {
  return new KvoltError(
    ErrorCode.INVALID_ARGUMENT,
    `Invalid argument: ${path}: ${detail}`,
  );
}

function checkKey(key: Uint8Array, path: string, limits: OpLimits): void {
  if (key.length === 0) throw invalid(path, "a key must not be empty");
  if (key.length > limits.maxKeyBytes) {
    throw invalid(
      path,
      `a key is at most ${limits.maxKeyBytes} bytes: received ${key.length} bytes`,
    );
  }
}

function checkTtl(ttlMs: number, path: string, limits: OpLimits): void {
  if (
    !(Number.isSafeInteger(ttlMs) && ttlMs >= 1 && ttlMs <= limits.maxTtlMs)
  ) {
    throw invalid(
      path,
      `expected an integer from 1 to ${limits.maxTtlMs}: received ${ttlMs}`,
    );
  }
}

function checkItem(key: Uint8Array, value: Uint8Array, limits: OpLimits) {
  if (key.length + value.length > limits.maxItemBytes) {
    throw new KvoltError(
      ErrorCode.LIMIT_EXCEEDED,
      `Cannot set item: key and value are larger than the ${limits.maxItemBytes} byte limit: received a key of ${key.length} bytes and a value of ${value.length} bytes`,
      LimitCause.ITEM_SIZE,
    );
  }
}

function checkElement(bytes: Uint8Array, path: string, limits: OpLimits) {
  if (bytes.length > limits.maxElementBytes) {
    throw new KvoltError(
      ErrorCode.LIMIT_EXCEEDED,
      `Cannot store element: ${path} is larger than the ${limits.maxElementBytes} byte element limit: received ${bytes.length} bytes`,
      LimitCause.ELEMENT_SIZE,
    );
  }
}
