/**
 * The list operations of `ShardHost.execute`: one call each into the core's
 * circular-array lists (collection_codec.ts has the byte formats).
 *
 * @module
 */
import type { ListOp } from "../protocol/operations.ts";
import type { CollectionTtlArgs } from "../protocol/operations.ts";
import { Flag, Op } from "./_abi.ts";
import {
  call,
  type Handlers,
  MISS,
  missed,
  type ShardAccess,
  SUCCESS,
  ttlOf,
} from "./_op_context.ts";
import { decodeValues, encodeValues } from "./collection_codec.ts";

type PushOp =
  | "listPushFront"
  | "listPushBack"
  | "listConcatenateFront"
  | "listConcatenateBack";

function push(
  s: ShardAccess,
  cacheId: number,
  op: PushOp,
  args: { key: Uint8Array; values: Uint8Array[] } & CollectionTtlArgs,
  truncate: number | undefined,
) {
  const front = op === "listPushFront" || op === "listConcatenateFront";
  const ttl = ttlOf(args);
  const res = call(s, cacheId, {
    op,
    type: "LIST",
    core: Op.LIST_PUSH,
    key: args.key,
    payload: encodeValues(args.values),
    req: {
      ...ttl,
      flags: (ttl.flags ?? 0) | (front ? Flag.FRONT : 0),
      a: truncate === undefined
        ? -1
        : Math.min(0x7fff_ffff, Math.max(0, Math.trunc(truncate) || 0)),
    },
  });
  return { type: "Success" as const, length: res.status };
}

function pop(
  s: ShardAccess,
  cacheId: number,
  key: Uint8Array,
  op: "listPopFront" | "listPopBack",
) {
  const res = call(s, cacheId, {
    op,
    type: "LIST",
    core: Op.LIST_POP,
    key,
    req: { flags: op === "listPopFront" ? Flag.FRONT : 0 },
  });
  return missed(res) ? MISS : { type: "Hit" as const, value: res.data };
}

/** A slice bound as the core takes it: NaN for the default. */
const bound = (i: number | undefined) => i ?? NaN;

/** The list operations. */
export const LIST_OPS: Handlers<ListOp> = {
  listPushFront: (s, cacheId, args) =>
    push(
      s,
      cacheId,
      "listPushFront",
      { ...args, values: [args.value] },
      args.truncateBackToSize,
    ),
  listPushBack: (s, cacheId, args) =>
    push(
      s,
      cacheId,
      "listPushBack",
      { ...args, values: [args.value] },
      args.truncateFrontToSize,
    ),
  listConcatenateFront: (s, cacheId, args) =>
    push(s, cacheId, "listConcatenateFront", args, args.truncateBackToSize),
  listConcatenateBack: (s, cacheId, args) =>
    push(s, cacheId, "listConcatenateBack", args, args.truncateFrontToSize),
  listPopFront: (s, cacheId, { key }) => pop(s, cacheId, key, "listPopFront"),
  listPopBack: (s, cacheId, { key }) => pop(s, cacheId, key, "listPopBack"),
  listFetch(s, cacheId, { key, startIndex, endIndex }) {
    const res = call(s, cacheId, {
      op: "listFetch",
      type: "LIST",
      core: Op.LIST_FETCH,
      key,
      req: { x: bound(startIndex), y: bound(endIndex) },
    });
    return missed(res) ? MISS : { type: "Hit", values: decodeValues(res.data) };
  },
  listRetain(s, cacheId, args) {
    call(s, cacheId, {
      op: "listRetain",
      type: "LIST",
      core: Op.LIST_RETAIN,
      key: args.key,
      req: {
        ...ttlOf(args),
        x: bound(args.startIndex),
        y: bound(args.endIndex),
      },
    });
    return SUCCESS;
  },
  listRemoveValue(s, cacheId, { key, value }) {
    call(s, cacheId, {
      op: "listRemoveValue",
      type: "LIST",
      core: Op.LIST_REMOVE,
      key,
      payload: value,
    });
    return SUCCESS;
  },
  listLength(s, cacheId, { key }) {
    const res = call(s, cacheId, {
      op: "listLength",
      type: "LIST",
      core: Op.LENGTH,
      key,
      req: { a: 3 },
    });
    return missed(res) ? MISS : { type: "Hit", length: res.count };
  },
};
