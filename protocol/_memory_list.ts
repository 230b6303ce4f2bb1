/**
 * The reference model's list operations. Private to `memory_store.ts`.
 * Plain arrays: a write copies the list (O(length)), which is fine for a
 * model.
 *
 * @module
 */
import type { ListOp } from "./operations.ts";
import {
  type Handlers,
  type ListEntry,
  type MemoryItems,
  MISS,
  sliceBounds,
  SUCCESS,
} from "./_memory_items.ts";
import { equalBytes } from "./bytes.ts";
import { logicalSize } from "./data_store.ts";
import type { CollectionTtlArgs, OpName, ValueLookup } from "./operations.ts";

const sizeOf = (values: readonly Uint8Array[]) =>
  values.reduce((n, v) => n + logicalSize.list(v), 0);

/**
 * Adds values at one end, then truncates the other end to `truncateToSize`
 * (a negative size counts as 0; a list truncated to nothing is removed). The
 * limits apply to the list after truncation.
 *
 * @returns the new length
 */
function concatenate(
  items: MemoryItems,
  cacheId: number,
  op: OpName,
  args: { key: Uint8Array; values: Uint8Array[] } & CollectionTtlArgs,
  end: "front" | "back",
  truncateToSize: number | undefined,
): number {
  const { key } = args;
  const existing = items.collection(cacheId, key, "LIST", op);
  const list = existing?.values ?? [];
  const added = args.values.map((v) => v.slice());
  let next = end === "front" ? [...added, ...list] : [...list, ...added];
  if (truncateToSize !== undefined) {
    const keep = Math.max(0, Math.trunc(truncateToSize) || 0);
    if (next.length > keep) {
      next = end === "front"
        ? next.slice(0, keep)
        : next.slice(next.length - keep);
    }
  }
  const size = sizeOf(next);
  items.checkCollection(op, key, size, next.length);
  if (next.length === 0) {
    items.remove(cacheId, key);
    return 0;
  }
  const entry: ListEntry = existing ??
    { type: "LIST", values: [], size: 0, expiresAt: 0 };
  entry.values = next;
  entry.size = size;
  entry.expiresAt = items.expiry(existing, args);
  if (existing === undefined) items.put(cacheId, key, entry);
  return next.length;
}

/** Removes and returns the value at one end; the last one removes the list. */
function pop(
  items: MemoryItems,
  cacheId: number,
  key: Uint8Array,
  end: "front" | "back",
): ValueLookup {
  const op = end === "front" ? "listPopFront" : "listPopBack";
  const list = items.collection(cacheId, key, "LIST", op);
  if (list === undefined) return MISS;
  const value = end === "front" ? list.values.shift() : list.values.pop();
  if (value === undefined) return MISS;
  list.size -= logicalSize.list(value);
  if (list.values.length === 0) items.remove(cacheId, key);
  return { type: "Hit", value };
}

/** The list operations. */
export const LIST_OPS: Handlers<ListOp> = {
  listPushFront: (items, cacheId, args) => ({
    type: "Success",
    length: concatenate(
      items,
      cacheId,
      "listPushFront",
      { ...args, values: [args.value] },
      "front",
      args.truncateBackToSize,
    ),
  }),
  listPushBack: (items, cacheId, args) => ({
    type: "Success",
    length: concatenate(
      items,
      cacheId,
      "listPushBack",
      { ...args, values: [args.value] },
      "back",
      args.truncateFrontToSize,
    ),
  }),
  listConcatenateFront: (items, cacheId, args) => ({
    type: "Success",
    length: concatenate(
      items,
      cacheId,
      "listConcatenateFront",
      args,
      "front",
      args.truncateBackToSize,
    ),
  }),
  listConcatenateBack: (items, cacheId, args) => ({
    type: "Success",
    length: concatenate(
      items,
      cacheId,
      "listConcatenateBack",
      args,
      "back",
      args.truncateFrontToSize,
    ),
  }),
  listPopFront: (items, cacheId, { key }) => pop(items, cacheId, key, "front"),
  listPopBack: (items, cacheId, { key }) => pop(items, cacheId, key, "back"),
  listFetch(items, cacheId, { key, startIndex, endIndex }) {
    const list = items.collection(cacheId, key, "LIST", "listFetch");
    if (list === undefined) return MISS;
    const [from, to] = sliceBounds(list.values.length, startIndex, endIndex);
    return {
      type: "Hit",
      values: list.values.slice(from, to).map((v) => v.slice()),
    };
  },
  listRetain(items, cacheId, args) {
    const { key, startIndex, endIndex, ttlMs } = args;
    const list = items.collection(cacheId, key, "LIST", "listRetain");
    if (list === undefined) return SUCCESS;
    const [from, to] = sliceBounds(list.values.length, startIndex, endIndex);
    if (from === to) {
      items.remove(cacheId, key);
      return SUCCESS;
    }
    list.values = list.values.slice(from, to);
    list.size = sizeOf(list.values);
    if (ttlMs !== undefined) {
      list.expiresAt = items.expiry(list, {
        ttlMs,
        refreshTtl: args.refreshTtl,
      });
    }
    return SUCCESS;
  },
  listRemoveValue(items, cacheId, { key, value }) {
    const list = items.collection(cacheId, key, "LIST", "listRemoveValue");
    if (list === undefined) return SUCCESS;
    list.values = list.values.filter((v) => !equalBytes(v, value));
    list.size = sizeOf(list.values);
    if (list.values.length === 0) items.remove(cacheId, key);
    return SUCCESS;
  },
  listLength(items, cacheId, { key }) {
    const list = items.collection(cacheId, key, "LIST", "listLength");
    return list === undefined
      ? MISS
      : { type: "Hit", length: list.values.length };
  },
};
