/**
 * The one place where the gateway checks the deployment's limits on an
 * operation's (already shape-checked) arguments, before it reaches the store:
 *
 * | what                                                | limit                 | error                                          |
 * | --------------------------------------------------- | --------------------- | ---------------------------------------------- |
 * | every key (`key`, `keys`, `items[].key`, `sources[].key`) | 1 to 65531 bytes | 400 INVALID_ARGUMENT_ERROR                     |
 * | `ttlMs` (also in `items[]`)                         | 1 to `maxTtlMs`       | 400 INVALID_ARGUMENT_ERROR                     |
 * | a scalar's key + value (set, conditional sets, `items[]`) | `maxItemBytes`  | 413 LIMIT_EXCEEDED_ERROR item_size_limit_exceeded    |
 * | each collection element (field, value, element, list value, member) | `maxElementBytes` | 413 LIMIT_EXCEEDED_ERROR element_size_limit_exceeded |
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
 * import { checkOpLimits, DEFAULT_OP_LIMITS } from "./op_validation.ts";
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
import type { OpName } from "../protocol/operations.ts";
import { SCALAR_SCHEMAS } from "./json_api_schemas_scalar.ts";

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

type Args = Record<string, unknown>;

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
  const a = args as Args;
  const scalar = Object.hasOwn(SCALAR_SCHEMAS, op);
  for (const field in a) {
    const value = a[field];
    if (value === undefined) continue;
    switch (field) {
      case "key":
        checkKey(value as Uint8Array, "key", limits);
        break;
      case "keys":
        eachBytes(value, field, (k, path) => checkKey(k, path, limits));
        break;
      case "sources":
        (value as { key: Uint8Array }[]).forEach((s, i) =>
          checkKey(s.key, `sources.${i}.key`, limits)
        );
        break;
      case "ttlMs":
        checkTtl(value as number, "ttlMs", limits);
        break;
      case "items":
        (value as Args[]).forEach((item, i) => {
          const key = item.key as Uint8Array;
          checkKey(key, `items.${i}.key`, limits);
          checkTtl(item.ttlMs as number, `items.${i}.ttlMs`, limits);
          checkItem(key, item.value as Uint8Array, limits);
        });
        break;
      case "value":
        if (scalar) checkItem(a.key as Uint8Array, value as Uint8Array, limits);
        else checkElement(value as Uint8Array, field, limits);
        break;
      case "field":
        checkElement(value as Uint8Array, field, limits);
        break;
      case "fields":
      case "values":
      case "elements":
        checkElements(value as unknown[], field, limits);
        break;
    }
  }
}

function invalid(path: string, detail: string): KvoltError {
  return new KvoltError(
    ErrorCode.INVALID_ARGUMENT,
    `Invalid argument: ${path}: ${detail}`,
  );
}

function eachBytes(
  list: unknown,
  field: string,
  check: (bytes: Uint8Array, path: string) => void,
): void {
  const items = list as Uint8Array[];
  for (let i = 0; i < items.length; i++) check(items[i]!, `${field}.${i}`);
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

/** Elements are bytes, `{field, value}` or `{value, score}`. */
function checkElements(list: unknown[], field: string, limits: OpLimits) {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (item instanceof Uint8Array) {
      checkElement(item, `${field}.${i}`, limits);
      continue;
    }
    const parts = item as Args;
    for (const part in parts) {
      const bytes = parts[part];
      if (bytes instanceof Uint8Array) {
        checkElement(bytes, `${field}.${i}.${part}`, limits);
      }
    }
  }
}
