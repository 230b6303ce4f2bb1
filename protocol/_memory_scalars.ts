/**
 * The reference model's scalar operations and the operations that work on
 * items of every type (existence, TTL, type). Private to `memory_store.ts`.
 *
 * @module
 */
import type { ScalarOp } from "./operations.ts";
import {
  type Handlers,
  type MemoryItems,
  MISS,
  SUCCESS,
  wrongType,
} from "./_memory_items.ts";
import { equalBytes } from "./bytes.ts";
import { addInt64 } from "./int64_text.ts";
import type {
  OpName,
  Stored,
  StoredWithHash,
  TtlChange,
  ValueLookup,
} from "./operations.ts";
import { valueHash } from "./value_hash.ts";

const STORED = Object.freeze({ type: "Stored" } as const);
const NOT_STORED = Object.freeze({ type: "NotStored" } as const);

/**
 * What a conditional set sees: the scalar's bytes, `undefined` when absent,
 * `null` for a collection ("present, equal to nothing").
 */
type Current = Uint8Array | null | undefined;

/** The scalar value at a key; FAILED_PRECONDITION_ERROR for a collection. */
function scalarValue(
  items: MemoryItems,
  cacheId: number,
  key: Uint8Array,
  op: OpName,
): Uint8Array | undefined {
  const entry = items.find(cacheId, key);
  if (entry === undefined) return undefined;
  if (entry.type !== "SCALAR") throw wrongType(op, entry.type, "SCALAR");
  return entry.value;
}

/** Stores a copy of `value` under `key`, replacing an item of any type. */
function store(
  items: MemoryItems,
  cacheId: number,
  item: { key: Uint8Array; value: Uint8Array; ttlMs: number },
): void {
  items.put(cacheId, item.key, {
    type: "SCALAR",
    value: item.value.slice(),
    expiresAt: items.now() + item.ttlMs,
  });
}

/**
 * A conditional set: the size is checked first (a value that can never fit
 * is an error whatever the condition), then `condition` decides.
 */
function setIf(
  items: MemoryItems,
  cacheId: number,
  op: OpName,
  args: { key: Uint8Array; value: Uint8Array; ttlMs: number },
  condition: (current: Current) => boolean,
): boolean {
  items.checkScalar(op, args.key, args.value);
  const entry = items.find(cacheId, args.key);
  const current = entry === undefined
    ? undefined
    : entry.type === "SCALAR"
    ? entry.value
    : null;
  if (!condition(current)) return false;
  store(items, cacheId, args);
  return true;
}

const stored = (done: boolean): Stored => done ? STORED : NOT_STORED;
const storedWithHash = (done: boolean, value: Uint8Array): StoredWithHash =>
  done ? { type: "Stored", hash: valueHash(value) } : NOT_STORED;
const isEqual = (current: Current, to: Uint8Array) =>
  current instanceof Uint8Array && equalBytes(current, to);
const hashIsEqual = (current: Current, to: Uint8Array) =>
  current instanceof Uint8Array && equalBytes(valueHash(current), to);

/** Changes an item's expiry when `allowed(remainingMs)` says so. */
function changeTtl(
  items: MemoryItems,
  cacheId: number,
  args: { key: Uint8Array; ttlMs: number },
  allowed: (remainingMs: number) => boolean,
): TtlChange {
  const entry = items.find(cacheId, args.key);
  if (entry === undefined) return MISS;
  const now = items.now();
  if (!allowed(entry.expiresAt - now)) return { type: "NotSet" };
  entry.expiresAt = now + args.ttlMs;
  return { type: "Set" };
}

/** The scalar operations and those on items of any type. */
export const SCALAR_OPS: Handlers<ScalarOp> = {
  get(items, cacheId, { key }) {
    const value = scalarValue(items, cacheId, key, "get");
    return value === undefined ? MISS : { type: "Hit", value: value.slice() };
  },
  getWithHash(items, cacheId, { key }) {
    const value = scalarValue(items, cacheId, key, "getWithHash");
    if (value === undefined) return MISS;
    return { type: "Hit", value: value.slice(), hash: valueHash(value) };
  },
  set(items, cacheId, args) {
    items.checkScalar("set", args.key, args.value);
    store(items, cacheId, args);
    return SUCCESS;
  },
  setWithHash(items, cacheId, args) {
    items.checkScalar("setWithHash", args.key, args.value);
    store(items, cacheId, args);
    return { type: "Stored", hash: valueHash(args.value) };
  },
  delete(items, cacheId, { key }) {
    items.remove(cacheId, key);
    return SUCCESS;
  },
  getAndDelete(items, cacheId, { key }) {
    const value = scalarValue(items, cacheId, key, "getAndDelete");
    if (value === undefined) return MISS;
    items.remove(cacheId, key);
    return { type: "Hit", value };
  },
  setIfAbsent: (items, cacheId, args) =>
    stored(setIf(items, cacheId, "setIfAbsent", args, (c) => c === undefined)),
  setIfPresent: (items, cacheId, args) =>
    stored(setIf(items, cacheId, "setIfPresent", args, (c) => c !== undefined)),
  setIfEqual: (items, cacheId, args) =>
    stored(
      setIf(items, cacheId, "setIfEqual", args, (c) => isEqual(c, args.equal)),
    ),
  setIfNotEqual: (items, cacheId, args) =>
    stored(
      setIf(
        items,
        cacheId,
        "setIfNotEqual",
        args,
        (c) => !isEqual(c, args.notEqual),
      ),
    ),
  setIfPresentAndNotEqual: (items, cacheId, args) =>
    stored(
      setIf(
        items,
        cacheId,
        "setIfPresentAndNotEqual",
        args,
        (c) => c !== undefined && !isEqual(c, args.notEqual),
      ),
    ),
  setIfAbsentOrEqual: (items, cacheId, args) =>
    stored(
      setIf(
        items,
        cacheId,
        "setIfAbsentOrEqual",
        args,
        (c) => c === undefined || isEqual(c, args.equal),
      ),
    ),
  setIfPresentAndHashEqual: (items, cacheId, args) =>
    storedWithHash(
      setIf(items, cacheId, "setIfPresentAndHashEqual", args, (c) =>
        hashIsEqual(c, args.hashEqual)),
      args.value,
    ),
  setIfPresentAndHashNotEqual: (items, cacheId, args) =>
    storedWithHash(
      setIf(items, cacheId, "setIfPresentAndHashNotEqual", args, (c) =>
        c !== undefined && !hashIsEqual(c, args.hashNotEqual)),
      args.value,
    ),
  setIfAbsentOrHashEqual: (items, cacheId, args) =>
    storedWithHash(
      setIf(items, cacheId, "setIfAbsentOrHashEqual", args, (c) =>
        c === undefined || hashIsEqual(c, args.hashEqual)),
      args.value,
    ),
  setIfAbsentOrHashNotEqual: (items, cacheId, args) =>
    storedWithHash(
      setIf(items, cacheId, "setIfAbsentOrHashNotEqual", args, (c) =>
        c === undefined || !hashIsEqual(c, args.hashNotEqual)),
      args.value,
    ),
  increment(items, cacheId, { key, amount, ttlMs }) {
    const entry = items.find(cacheId, key);
    if (entry !== undefined && entry.type !== "SCALAR") {
      throw wrongType("increment", entry.type, "SCALAR");
    }
    const next = addInt64("increment", entry?.value, amount);
    items.checkScalar("increment", key, next.text);
    // As Momento: the ttl given applies to the result, as for a set (an
    // existing item's expiry is replaced, not kept).
    store(items, cacheId, { key, value: next.text, ttlMs });
    return { type: "Success", value: next.value };
  },
  keyExists: (items, cacheId, { key }) => ({
    type: "Success",
    exists: items.find(cacheId, key) !== undefined,
  }),
  keysExist: (items, cacheId, { keys }) => ({
    type: "Success",
    exists: keys.map((key) => items.find(cacheId, key) !== undefined),
  }),
  updateTtl: (items, cacheId, args) =>
    changeTtl(items, cacheId, args, () => true),
  increaseTtl: (items, cacheId, args) =>
    changeTtl(items, cacheId, args, (remaining) => args.ttlMs > remaining),
  decreaseTtl: (items, cacheId, args) =>
    changeTtl(items, cacheId, args, (remaining) => args.ttlMs < remaining),
  itemGetTtl(items, cacheId, { key }) {
    const entry = items.find(cacheId, key);
    if (entry === undefined) return MISS;
    return { type: "Hit", remainingTtlMs: entry.expiresAt - items.now() };
  },
  itemGetType(items, cacheId, { key }) {
    const entry = items.find(cacheId, key);
    return entry === undefined ? MISS : { type: "Hit", itemType: entry.type };
  },
  getBatch: (items, cacheId, { keys }) => ({
    type: "Success",
    results: keys.map((key): ValueLookup => {
      const entry = items.find(cacheId, key);
      return entry?.type === "SCALAR"
        ? { type: "Hit", value: entry.value.slice() }
        : MISS;
    }),
  }),
  setBatch(items, cacheId, { items: batch }) {
    for (const item of batch) {
      items.checkScalar("setBatch", item.key, item.value);
    }
    for (const item of batch) store(items, cacheId, item);
    return SUCCESS;
  },
};
