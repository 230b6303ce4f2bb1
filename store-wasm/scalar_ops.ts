/**
 * The scalar operations of `ShardHost.execute`, and those that work on items
 * of every type (existence, type, TTL), over the core's primitives. One JS
 * thread runs each operation to its end, so read-then-write is atomic.
 *
 * @module
 */
import { equalBytes } from "../protocol/bytes.ts";
import type { ScalarOp } from "../protocol/operations.ts";
import type { Stored, TtlChange, ValueLookup } from "../protocol/operations.ts";
import type { WasmShard } from "./shard.ts";
import { valueHash } from "../protocol/value_hash.ts";

import {
  type Handlers,
  MISS,
  type ShardAccess,
  SUCCESS,
} from "./_op_context.ts";
import { itemTooLarge, typeName, wrongType } from "./core_errors.ts";
import { addInt64 } from "../protocol/int64_text.ts";

const STORED = Object.freeze({ type: "Stored" } as const);
const NOT_STORED = Object.freeze({ type: "NotStored" } as const);

type Item = { key: Uint8Array; value: Uint8Array; ttlMs: number };

function check(s: ShardAccess, op: string, key: Uint8Array, value: Uint8Array) {
  const bytes = key.length + value.length;
  if (bytes > s.limits.maxItemBytes) {
    throw itemTooLarge(op, bytes, s.limits.maxItemBytes);
  }
}

// Every shard call below passes the cache id as the key's prefix: the shard
// writes the stored key straight into its memory, with no copy made here.

function read(s: ShardAccess, cacheId: number, key: Uint8Array) {
  return s.shard(cacheId, key).get(key, cacheId);
}

function write(s: ShardAccess, cacheId: number, item: Item): void {
  s.shard(cacheId, item.key).set(item.key, item.value, item.ttlMs, cacheId);
}

/**
 * What a conditional set sees: the scalar's bytes, undefined when absent,
 * null for a collection ("present, equal to nothing").
 */
type Current = Uint8Array | null | undefined;

function current(s: ShardAccess, cacheId: number, key: Uint8Array): Current {
  const shard = s.shard(cacheId, key);
  const info = shard.info(key, cacheId);
  if (info === undefined) return undefined;
  return info.type === 0 ? shard.get(key, cacheId) : null;
}

function setIf(
  s: ShardAccess,
  cacheId: number,
  op: string,
  item: Item,
  condition: (c: Current) => boolean,
): boolean {
  check(s, op, item.key, item.value);
  if (!condition(current(s, cacheId, item.key))) return false;
  write(s, cacheId, item);
  return true;
}

const isEqual = (c: Current, to: Uint8Array) =>
  c instanceof Uint8Array && equalBytes(c, to);
const hashIsEqual = (c: Current, to: Uint8Array) =>
  c instanceof Uint8Array && equalBytes(valueHash(c), to);
const stored = (done: boolean): Stored => done ? STORED : NOT_STORED;
const withHash = (done: boolean, value: Uint8Array) =>
  done ? { type: "Stored" as const, hash: valueHash(value) } : NOT_STORED;

function changeTtl(
  s: ShardAccess,
  cacheId: number,
  args: { key: Uint8Array; ttlMs: number },
  mode: 0 | 1 | 2,
): TtlChange {
  const r = s.shard(cacheId, args.key).setTtl(
    args.key,
    args.ttlMs,
    mode,
    cacheId,
  );
  return r < 0 ? MISS : r === 1 ? { type: "Set" } : { type: "NotSet" };
}

/** The scalar operations and those on items of any type. */
export const SCALAR_OPS: Handlers<ScalarOp> = {
  get(s, cacheId, { key }) {
    const value = read(s, cacheId, key);
    return value === undefined ? MISS : { type: "Hit", value };
  },
  getWithHash(s, cacheId, { key }) {
    const value = read(s, cacheId, key);
    if (value === undefined) return MISS;
    return { type: "Hit", value, hash: valueHash(value) };
  },
  set(s, cacheId, args) {
    check(s, "set", args.key, args.value);
    write(s, cacheId, args);
    return SUCCESS;
  },
  setWithHash(s, cacheId, args) {
    check(s, "setWithHash", args.key, args.value);
    write(s, cacheId, args);
    return { type: "Stored", hash: valueHash(args.value) };
  },
  delete(s, cacheId, { key }) {
    s.shard(cacheId, key).delete(key, cacheId);
    return SUCCESS;
  },
  getAndDelete(s, cacheId, { key }) {
    const shard = s.shard(cacheId, key);
    const value = shard.get(key, cacheId);
    if (value === undefined) return MISS;
    // a copy: the view is of memory the delete frees
    const removed = value.slice();
    shard.delete(key, cacheId);
    return { type: "Hit", value: removed };
  },
  setIfAbsent: (s, id, a) =>
    stored(setIf(s, id, "setIfAbsent", a, (c) => c === undefined)),
  setIfPresent: (s, id, a) =>
    stored(setIf(s, id, "setIfPresent", a, (c) => c !== undefined)),
  setIfEqual: (s, id, a) =>
    stored(setIf(s, id, "setIfEqual", a, (c) => isEqual(c, a.equal))),
  setIfNotEqual: (s, id, a) =>
    stored(setIf(s, id, "setIfNotEqual", a, (c) => !isEqual(c, a.notEqual))),
  setIfPresentAndNotEqual: (s, id, a) =>
    stored(
      setIf(
        s,
        id,
        "setIfPresentAndNotEqual",
        a,
        (c) => c !== undefined && !isEqual(c, a.notEqual),
      ),
    ),
  setIfAbsentOrEqual: (s, id, a) =>
    stored(
      setIf(
        s,
        id,
        "setIfAbsentOrEqual",
        a,
        (c) => c === undefined || isEqual(c, a.equal),
      ),
    ),
  setIfPresentAndHashEqual: (s, id, a) =>
    withHash(
      setIf(
        s,
        id,
        "setIfPresentAndHashEqual",
        a,
        (c) => hashIsEqual(c, a.hashEqual),
      ),
      a.value,
    ),
  setIfPresentAndHashNotEqual: (s, id, a) =>
    withHash(
      setIf(
        s,
        id,
        "setIfPresentAndHashNotEqual",
        a,
        (c) => c !== undefined && !hashIsEqual(c, a.hashNotEqual),
      ),
      a.value,
    ),
  setIfAbsentOrHashEqual: (s, id, a) =>
    withHash(
      setIf(
        s,
        id,
        "setIfAbsentOrHashEqual",
        a,
        (c) => c === undefined || hashIsEqual(c, a.hashEqual),
      ),
      a.value,
    ),
  setIfAbsentOrHashNotEqual: (s, id, a) =>
    withHash(
      setIf(
        s,
        id,
        "setIfAbsentOrHashNotEqual",
        a,
        (c) => c === undefined || !hashIsEqual(c, a.hashNotEqual),
      ),
      a.value,
    ),
  increment(s, cacheId, { key, amount, ttlMs }) {
    const shard = s.shard(cacheId, key);
    const info = shard.info(key, cacheId);
    if (info !== undefined && info.type !== 0) {
      throw wrongType("increment", info.type);
    }
    const old = info === undefined ? undefined : shard.get(key, cacheId);
    const next = addInt64("increment", old, amount);
    check(s, "increment", key, next.text);
    // As Momento: the ttl given applies to the result, as for a set (an
    // existing item's expiry is replaced, not kept).
    shard.set(key, next.text, ttlMs, cacheId);
    return { type: "Success", value: next.value };
  },
  keyExists: (s, cacheId, { key }) => ({
    type: "Success",
    exists: s.shard(cacheId, key).info(key, cacheId) !== undefined,
  }),
  keysExist: (s, cacheId, { keys }) => ({
    type: "Success",
    exists: keys.map((key) =>
      s.shard(cacheId, key).info(key, cacheId) !== undefined
    ),
  }),
  updateTtl: (s, cacheId, args) => changeTtl(s, cacheId, args, 0),
  increaseTtl: (s, cacheId, args) => changeTtl(s, cacheId, args, 1),
  decreaseTtl: (s, cacheId, args) => changeTtl(s, cacheId, args, 2),
  itemGetTtl(s, cacheId, { key }) {
    const info = s.shard(cacheId, key).info(key, cacheId);
    if (info === undefined) return MISS;
    return { type: "Hit", remainingTtlMs: info.remainingMs };
  },
  itemGetType(s, cacheId, { key }) {
    const info = s.shard(cacheId, key).info(key, cacheId);
    if (info === undefined) return MISS;
    return { type: "Hit", itemType: typeName(info.type) };
  },
  getBatch(s, cacheId, { keys }) {
    // one batch call per shard; a collection's key is a Miss (the core's
    // batch get skips collections); values are views of one owned buffer
    const results: ValueLookup[] = new Array(keys.length);
    const groups = new Map<WasmShard, number[]>();
    keys.forEach((key, i) => {
      const shard = s.shard(cacheId, key);
      const group = groups.get(shard);
      if (group === undefined) groups.set(shard, [i]);
      else group.push(i);
    });
    for (const [shard, group] of groups) {
      const many = shard.getMany(group.map((i) => keys[i]!), cacheId);
      group.forEach((i, j) => {
        const value = many.value(j);
        results[i] = value === undefined ? MISS : { type: "Hit", value };
      });
    }
    return { type: "Success", results };
  },
  setBatch(s, cacheId, { items }) {
    for (const item of items) check(s, "setBatch", item.key, item.value);
    for (const item of items) write(s, cacheId, item);
    return SUCCESS;
  },
};
