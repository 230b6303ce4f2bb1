/**
 * The dictionary and set operations of `ShardHost.execute`: one call each
 * into the core's hash tables (collection_codec.ts has the byte formats).
 *
 * @module
 */
import type {
  DictionaryOp,
  SetOp,
  ValueLookup,
} from "../protocol/operations.ts";
import { Flag, Op } from "./_abi.ts";
import {
  begin,
  call,
  type Handlers,
  MISS,
  missed,
  run,
  type ShardAccess,
  spec,
  SUCCESS,
  withTtl,
} from "./_op_context.ts";
import {
  decodeFields,
  decodeFieldValues,
  decodeValues,
  ELEMENTS,
  FIELD_VALUE,
  FIELD_VALUES,
  lastWins,
  VALUE,
  VALUES,
} from "./collection_codec.ts";
import { addInt64 } from "../protocol/int64_text.ts";

const D = "DICTIONARY";
const SET_FIELD = spec("dictionarySetField", D, Op.DICT_PUT);
const SET_FIELDS = spec("dictionarySetFields", D, Op.DICT_PUT);
const GET_FIELD = spec("dictionaryGetField", D, Op.DICT_GET);
const GET_FIELDS = spec("dictionaryGetFields", D, Op.DICT_GET);
const FETCH = spec("dictionaryFetch", D, Op.DICT_FETCH);
const INCREMENT = spec("dictionaryIncrement", D, Op.DICT_GET);
const INCREMENT_PUT = spec("dictionaryIncrement", D, Op.DICT_PUT);
const REMOVE_FIELDS = spec("dictionaryRemoveFields", D, Op.DICT_REMOVE);
const DICT_LENGTH = spec("dictionaryLength", D, Op.LENGTH);
const ADD = spec("setAddElements", "SET", Op.SET_PUT);
const REMOVE = spec("setRemoveElements", "SET", Op.SET_REMOVE);
const CONTAINS = spec("setContainsElements", "SET", Op.SET_GET);
const SET_FETCH = spec("setFetch", "SET", Op.SET_FETCH);
const SAMPLE = spec("setSample", "SET", Op.SET_TAKE);
const POP = spec("setPop", "SET", Op.SET_TAKE);
const SET_LENGTH = spec("setLength", "SET", Op.LENGTH);

function length(
  s: ShardAccess,
  cacheId: number,
  key: Uint8Array,
  set: boolean,
) {
  const cc = begin(s, cacheId, key);
  cc.a = set ? 2 : 1;
  const res = run(s, cc, set ? SET_LENGTH : DICT_LENGTH);
  return missed(res) ? MISS : { type: "Hit" as const, length: res.count() };
}

/** One field's lookup, or undefined when the dictionary is missing. */
function getField(
  s: ShardAccess,
  cacheId: number,
  key: Uint8Array,
  field: Uint8Array,
  increment = false,
): ValueLookup | undefined {
  const sp = increment ? INCREMENT : GET_FIELD;
  const res = call(s, cacheId, sp, key, VALUE, field);
  return missed(res) ? undefined : res.lookups()[0];
}

/** The dictionary operations. */
export const DICTIONARY_OPS: Handlers<DictionaryOp> = {
  dictionarySetField(s, cacheId, args) {
    const cc = begin(s, cacheId, args.key, FIELD_VALUE, args);
    withTtl(cc, args);
    run(s, cc, SET_FIELD);
    return SUCCESS;
  },
  dictionarySetFields(s, cacheId, args) {
    const fields = lastWins(args.fields, (f) => f.field);
    const cc = begin(s, cacheId, args.key, FIELD_VALUES, fields);
    withTtl(cc, args);
    run(s, cc, SET_FIELDS);
    return SUCCESS;
  },
  dictionaryGetField(s, cacheId, { key, field }) {
    return getField(s, cacheId, key, field) ?? MISS;
  },
  dictionaryGetFields(s, cacheId, { key, fields }) {
    const res = call(s, cacheId, GET_FIELDS, key, VALUES, fields);
    return missed(res) ? MISS : { type: "Hit", results: res.lookups() };
  },
  dictionaryFetch(s, cacheId, { key }) {
    const res = call(s, cacheId, FETCH, key);
    if (missed(res)) return MISS;
    return { type: "Hit", fields: decodeFieldValues(res.copy()) };
  },
  dictionaryIncrement(s, cacheId, args) {
    const { key, field } = args;
    const old = getField(s, cacheId, key, field, true);
    const next = addInt64(
      "dictionaryIncrement",
      old?.type === "Hit" ? old.value : undefined,
      args.amount,
    );
    const cc = begin(s, cacheId, key, FIELD_VALUE, {
      field,
      value: next.text,
    });
    withTtl(cc, args);
    run(s, cc, INCREMENT_PUT);
    return { type: "Success", value: next.value };
  },
  dictionaryRemoveFields(s, cacheId, { key, fields }) {
    call(s, cacheId, REMOVE_FIELDS, key, VALUES, fields);
    return SUCCESS;
  },
  dictionaryLength: (s, cacheId, { key }) => length(s, cacheId, key, false),
};

function take(
  s: ShardAccess,
  cacheId: number,
  key: Uint8Array,
  count: number,
  pop: boolean,
) {
  const seed = Math.floor(s.random() * 0x1_0000_0000);
  const cc = begin(s, cacheId, key);
  cc.a = Math.min(0xffff_ffff, Math.max(0, Math.trunc(count) || 0));
  cc.b = seed;
  cc.flags = pop ? Flag.FRONT : 0;
  const res = run(s, cc, pop ? POP : SAMPLE);
  if (missed(res)) return MISS;
  return { type: "Hit" as const, elements: decodeValues(res.copy()) };
}

/** The set operations. */
export const SET_OPS: Handlers<SetOp> = {
  setAddElements(s, cacheId, args) {
    const elements = lastWins(args.elements, (e) => e);
    const cc = begin(s, cacheId, args.key, ELEMENTS, elements);
    withTtl(cc, args);
    run(s, cc, ADD);
    return SUCCESS;
  },
  setRemoveElements(s, cacheId, { key, elements }) {
    call(s, cacheId, REMOVE, key, VALUES, elements);
    return SUCCESS;
  },
  setContainsElements(s, cacheId, { key, elements }) {
    const res = call(s, cacheId, CONTAINS, key, VALUES, elements);
    return missed(res) ? MISS : { type: "Hit", contains: res.found() };
  },
  setFetch(s, cacheId, { key }) {
    const res = call(s, cacheId, SET_FETCH, key);
    if (missed(res)) return MISS;
    return { type: "Hit", elements: decodeFields(res.copy()) };
  },
  setSample: (s, cacheId, { key, limit }) =>
    take(s, cacheId, key, limit, false),
  setPop: (s, cacheId, { key, count }) => take(s, cacheId, key, count, true),
  setLength: (s, cacheId, { key }) => length(s, cacheId, key, true),
};
