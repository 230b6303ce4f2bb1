/**
 * The dictionary and set operations of `ShardHost.execute`: one call each
 * into the core's hash tables (collection_codec.ts has the byte formats).
 *
 * @module
 */
import type { SetOp } from "../protocol/operations.ts";
import type { DictionaryOp } from "../protocol/operations.ts";
import type { ValueLookup } from "../protocol/operations.ts";
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
import {
  decodeFieldValues,
  decodeFound,
  decodeLookups,
  decodeValues,
  encodeFieldValues,
  encodeValues,
  lastWins,
} from "./collection_codec.ts";
import { addInt64 } from "../protocol/int64_text.ts";

const EMPTY = new Uint8Array(0);

function length(
  s: ShardAccess,
  cacheId: number,
  key: Uint8Array,
  op: "dictionaryLength" | "setLength",
) {
  const type = op === "setLength" ? "SET" : "DICTIONARY";
  const res = call(s, cacheId, {
    op,
    type,
    core: Op.LENGTH,
    key,
    req: { a: type === "SET" ? 2 : 1 },
  });
  return missed(res) ? MISS : { type: "Hit" as const, length: res.count };
}

function getFields(
  s: ShardAccess,
  cacheId: number,
  key: Uint8Array,
  fields: Uint8Array[],
  op: "dictionaryGetField" | "dictionaryGetFields" | "dictionaryIncrement",
): ValueLookup[] | undefined {
  const res = call(s, cacheId, {
    op,
    type: "DICTIONARY",
    core: Op.DICT_GET,
    key,
    payload: encodeValues(fields),
  });
  return missed(res) ? undefined : decodeLookups(res.data);
}

/** The dictionary operations. */
export const DICTIONARY_OPS: Handlers<DictionaryOp> = {
  dictionarySetField(s, cacheId, args) {
    const { key, field, value } = args;
    call(s, cacheId, {
      op: "dictionarySetField",
      type: "DICTIONARY",
      core: Op.DICT_PUT,
      key,
      payload: encodeFieldValues([{ field, value }]),
      req: ttlOf(args),
    });
    return SUCCESS;
  },
  dictionarySetFields(s, cacheId, args) {
    call(s, cacheId, {
      op: "dictionarySetFields",
      type: "DICTIONARY",
      core: Op.DICT_PUT,
      key: args.key,
      payload: encodeFieldValues(lastWins(args.fields, (f) => f.field)),
      req: ttlOf(args),
    });
    return SUCCESS;
  },
  dictionaryGetField(s, cacheId, { key, field }) {
    const r = getFields(s, cacheId, key, [field], "dictionaryGetField");
    return r?.[0] ?? MISS;
  },
  dictionaryGetFields(s, cacheId, { key, fields }) {
    const results = getFields(s, cacheId, key, fields, "dictionaryGetFields");
    return results === undefined ? MISS : { type: "Hit", results };
  },
  dictionaryFetch(s, cacheId, { key }) {
    const res = call(s, cacheId, {
      op: "dictionaryFetch",
      type: "DICTIONARY",
      core: Op.DICT_FETCH,
      key,
    });
    if (missed(res)) return MISS;
    return { type: "Hit", fields: decodeFieldValues(res.data) };
  },
  dictionaryIncrement(s, cacheId, args) {
    const op = "dictionaryIncrement";
    const { key, field } = args;
    const old = getFields(s, cacheId, key, [field], op)?.[0];
    const next = addInt64(
      op,
      old?.type === "Hit" ? old.value : undefined,
      args.amount,
    );
    call(s, cacheId, {
      op,
      type: "DICTIONARY",
      core: Op.DICT_PUT,
      key,
      payload: encodeFieldValues([{ field, value: next.text }]),
      req: ttlOf(args),
    });
    return { type: "Success", value: next.value };
  },
  dictionaryRemoveFields(s, cacheId, { key, fields }) {
    call(s, cacheId, {
      op: "dictionaryRemoveFields",
      type: "DICTIONARY",
      core: Op.DICT_REMOVE,
      key,
      payload: encodeValues(fields),
    });
    return SUCCESS;
  },
  dictionaryLength: (s, cacheId, { key }) =>
    length(s, cacheId, key, "dictionaryLength"),
};

function take(
  s: ShardAccess,
  cacheId: number,
  key: Uint8Array,
  count: number,
  op: "setSample" | "setPop",
) {
  const n = Math.min(0xffff_ffff, Math.max(0, Math.trunc(count) || 0));
  const res = call(s, cacheId, {
    op,
    type: "SET",
    core: Op.SET_TAKE,
    key,
    req: {
      a: n,
      b: Math.floor(s.random() * 0x1_0000_0000),
      flags: op === "setPop" ? Flag.FRONT : 0,
    },
  });
  if (missed(res)) return MISS;
  return { type: "Hit" as const, elements: decodeValues(res.data) };
}

/** The set operations. */
export const SET_OPS: Handlers<SetOp> = {
  setAddElements(s, cacheId, args) {
    const elements = lastWins(args.elements, (e) => e);
    call(s, cacheId, {
      op: "setAddElements",
      type: "SET",
      core: Op.SET_PUT,
      key: args.key,
      payload: encodeFieldValues(
        elements.map((field) => ({ field, value: EMPTY })),
      ),
      req: ttlOf(args),
    });
    return SUCCESS;
  },
  setRemoveElements(s, cacheId, { key, elements }) {
    call(s, cacheId, {
      op: "setRemoveElements",
      type: "SET",
      core: Op.SET_REMOVE,
      key,
      payload: encodeValues(elements),
    });
    return SUCCESS;
  },
  setContainsElements(s, cacheId, { key, elements }) {
    const res = call(s, cacheId, {
      op: "setContainsElements",
      type: "SET",
      core: Op.SET_GET,
      key,
      payload: encodeValues(elements),
    });
    if (missed(res)) return MISS;
    return { type: "Hit", contains: decodeFound(res.data) };
  },
  setFetch(s, cacheId, { key }) {
    const res = call(s, cacheId, {
      op: "setFetch",
      type: "SET",
      core: Op.SET_FETCH,
      key,
    });
    if (missed(res)) return MISS;
    return {
      type: "Hit",
      elements: decodeFieldValues(res.data).map((f) => f.field),
    };
  },
  setSample: (s, cacheId, { key, limit }) =>
    take(s, cacheId, key, limit, "setSample"),
  setPop: (s, cacheId, { key, count }) =>
    take(s, cacheId, key, count, "setPop"),
  setLength: (s, cacheId, { key }) => length(s, cacheId, key, "setLength"),
};
