/**
 * The list operations of `ShardHost.execute`: one call each into the core's
 * circular-array lists (collection_codec.ts has the byte formats).
 *
 * @module
 */
import type { CollectionTtlArgs, ListOp } from "../protocol/operations.ts";
import { Flag, Op } from "./_abi.ts";
import {
  begin,
  call,
  type Handlers,
  MISS,
  missed,
  type OpSpec,
  run,
  type ShardAccess,
  spec,
  SUCCESS,
  withTtl,
} from "./_op_context.ts";
import {
  decodeValues,
  type Payload,
  RAW,
  VALUE,
  VALUES,
} from "./collection_codec.ts";

const PUSH_FRONT = spec("listPushFront", "LIST", Op.LIST_PUSH);
const PUSH_BACK = spec("listPushBack", "LIST", Op.LIST_PUSH);
const CONCAT_FRONT = spec("listConcatenateFront", "LIST", Op.LIST_PUSH);
const CONCAT_BACK = spec("listConcatenateBack", "LIST", Op.LIST_PUSH);
const POP_FRONT = spec("listPopFront", "LIST", Op.LIST_POP);
const POP_BACK = spec("listPopBack", "LIST", Op.LIST_POP);
const FETCH = spec("listFetch", "LIST", Op.LIST_FETCH);
const RETAIN = spec("listRetain", "LIST", Op.LIST_RETAIN);
const REMOVE_VALUE = spec("listRemoveValue", "LIST", Op.LIST_REMOVE);
const LENGTH = spec("listLength", "LIST", Op.LENGTH);

/** A push: which end, its arguments, and the values in their payload format. */
interface Push<T> {
  sp: OpSpec;
  front: boolean;
  args: { key: Uint8Array } & CollectionTtlArgs;
  /** The size to truncate the other end to, if any. */
  truncate: number | undefined;
  payload: Payload<T>;
  items: T;
}

function push<T>(s: ShardAccess, cacheId: number, p: Push<T>) {
  const cc = begin(s, cacheId, p.args.key, p.payload, p.items);
  withTtl(cc, p.args);
  if (p.front) cc.flags |= Flag.FRONT;
  cc.a = p.truncate === undefined
    ? -1
    : Math.min(0x7fff_ffff, Math.max(0, Math.trunc(p.truncate) || 0));
  const res = run(s, cc, p.sp);
  return { type: "Success" as const, length: res.status };
}

function pop(s: ShardAccess, cacheId: number, key: Uint8Array, front: boolean) {
  const cc = begin(s, cacheId, key);
  cc.flags = front ? Flag.FRONT : 0;
  const res = run(s, cc, front ? POP_FRONT : POP_BACK);
  return missed(res) ? MISS : { type: "Hit" as const, value: res.copy() };
}

/** A slice bound as the core takes it: NaN for the default. */
const bound = (i: number | undefined) => i ?? NaN;

/** The list operations. */
export const LIST_OPS: Handlers<ListOp> = {
  listPushFront: (s, cacheId, args) =>
    push(s, cacheId, {
      sp: PUSH_FRONT,
      front: true,
      args,
      truncate: args.truncateBackToSize,
      payload: VALUE,
      items: args.value,
    }),
  listPushBack: (s, cacheId, args) =>
    push(s, cacheId, {
      sp: PUSH_BACK,
      front: false,
      args,
      truncate: args.truncateFrontToSize,
      payload: VALUE,
      items: args.value,
    }),
  listConcatenateFront: (s, cacheId, args) =>
    push(s, cacheId, {
      sp: CONCAT_FRONT,
      front: true,
      args,
      truncate: args.truncateBackToSize,
      payload: VALUES,
      items: args.values,
    }),
  listConcatenateBack: (s, cacheId, args) =>
    push(s, cacheId, {
      sp: CONCAT_BACK,
      front: false,
      args,
      truncate: args.truncateFrontToSize,
      payload: VALUES,
      items: args.values,
    }),
  listPopFront: (s, cacheId, { key }) => pop(s, cacheId, key, true),
  listPopBack: (s, cacheId, { key }) => pop(s, cacheId, key, false),
  listFetch(s, cacheId, { key, startIndex, endIndex }) {
    const cc = begin(s, cacheId, key);
    cc.x = bound(startIndex);
    cc.y = bound(endIndex);
    const res = run(s, cc, FETCH);
    return missed(res)
      ? MISS
      : { type: "Hit", values: decodeValues(res.copy()) };
  },
  listRetain(s, cacheId, args) {
    const cc = begin(s, cacheId, args.key);
    withTtl(cc, args);
    cc.x = bound(args.startIndex);
    cc.y = bound(args.endIndex);
    run(s, cc, RETAIN);
    return SUCCESS;
  },
  listRemoveValue(s, cacheId, { key, value }) {
    call(s, cacheId, REMOVE_VALUE, key, RAW, value);
    return SUCCESS;
  },
  listLength(s, cacheId, { key }) {
    const cc = begin(s, cacheId, key);
    cc.a = 3;
    const res = run(s, cc, LENGTH);
    return missed(res) ? MISS : { type: "Hit", length: res.count() };
  },
};
