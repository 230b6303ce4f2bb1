/**
 * The scalar methods of Momento's `Scs` service, and those on items of any
 * type (TTL, type, existence, batches), as catalogue operations (see
 * `method.ts`). `SetIf`, `SetIfHash` and `UpdateTtl` are one operation per
 * condition, chosen by the request.
 *
 * @module
 */

import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import { ErrorCode, KvoltError } from "../../protocol/errors.ts";
import type { OpName } from "../../protocol/operations.ts";
import type { GrpcMethod, GrpcMethodChoice, GrpcMethods } from "./method.ts";
import { method, nonEmpty, positiveInteger } from "./method.ts";

const { Hit, Miss, Ok } = pb.ECacheResult;
const GetWithHash = pb._GetWithHashResponse;
const SetIf = pb._SetIfResponse;
const SetIfHash = pb._SetIfHashResponse;
const SetIfNotExists = pb._SetIfNotExistsResponse;
const UpdateTtl = pb._UpdateTtlResponse;
const ItemGetTtl = pb._ItemGetTtlResponse;
const ItemGetType = pb._ItemGetTypeResponse;
const ITEM_TYPES = ["SCALAR", "DICTIONARY", "SET", "LIST", "SORTED_SET"];

function invalid(message: string): KvoltError {
  return new KvoltError(
    ErrorCode.INVALID_ARGUMENT,
    `Invalid argument: ${message}`,
  );
}

/** key, value and TTL of a write request. */
function write(
  r: {
    cache_key: Uint8Array;
    cache_body: Uint8Array;
    ttl_milliseconds: number;
  },
) {
  return {
    key: r.cache_key,
    value: r.cache_body,
    ttlMs: positiveInteger(r.ttl_milliseconds, "ttl_milliseconds"),
  };
}

const stored = (res: { type: string }) =>
  res.type === "Stored"
    ? new SetIf({ stored: new SetIf._Stored() })
    : new SetIf({ not_stored: new SetIf._NotStored() });

const storedWithHash = (
  res: { type: "Stored"; hash: Uint8Array } | { type: "NotStored" },
) =>
  res.type === "Stored"
    ? new SetIfHash({ stored: new SetIfHash._Stored({ new_hash: res.hash }) })
    : new SetIfHash({ not_stored: new SetIfHash._NotStored() });

/** `SetIf`'s conditions, each its own operation. */
const SET_IF: Record<string, GrpcMethod<OpName>> = {
  present: method({
    op: "setIfPresent",
    args: (r: pb._SetIfRequest) => write(r),
    response: stored,
  }),
  absent: method({
    op: "setIfAbsent",
    args: (r: pb._SetIfRequest) => write(r),
    response: stored,
  }),
  equal: method({
    op: "setIfEqual",
    args: (r: pb._SetIfRequest) => ({
      ...write(r),
      equal: r.equal.value_to_check,
    }),
    response: stored,
  }),
  not_equal: method({
    op: "setIfNotEqual",
    args: (r: pb._SetIfRequest) => ({
      ...write(r),
      notEqual: r.not_equal.value_to_check,
    }),
    response: stored,
  }),
  present_and_not_equal: method({
    op: "setIfPresentAndNotEqual",
    args: (r: pb._SetIfRequest) => ({
      ...write(r),
      notEqual: r.present_and_not_equal.value_to_check,
    }),
    response: stored,
  }),
  absent_or_equal: method({
    op: "setIfAbsentOrEqual",
    args: (r: pb._SetIfRequest) => ({
      ...write(r),
      equal: r.absent_or_equal.value_to_check,
    }),
    response: stored,
  }),
};

/** `SetIfHash`'s conditions, each its own operation. */
const SET_IF_HASH: Record<string, GrpcMethod<OpName>> = {
  unconditional: method({
    op: "setWithHash",
    args: (r: pb._SetIfHashRequest) => write(r),
    response: storedWithHash,
  }),
  present_and_hash_equal: method({
    op: "setIfPresentAndHashEqual",
    args: (r: pb._SetIfHashRequest) => ({
      ...write(r),
      hashEqual: r.present_and_hash_equal.hash_to_check,
    }),
    response: storedWithHash,
  }),
  present_and_not_hash_equal: method({
    op: "setIfPresentAndHashNotEqual",
    args: (r: pb._SetIfHashRequest) => ({
      ...write(r),
      hashNotEqual: r.present_and_not_hash_equal.hash_to_check,
    }),
    response: storedWithHash,
  }),
  absent_or_hash_equal: method({
    op: "setIfAbsentOrHashEqual",
    args: (r: pb._SetIfHashRequest) => ({
      ...write(r),
      hashEqual: r.absent_or_hash_equal.hash_to_check,
    }),
    response: storedWithHash,
  }),
  absent_or_not_hash_equal: method({
    op: "setIfAbsentOrHashNotEqual",
    args: (r: pb._SetIfHashRequest) => ({
      ...write(r),
      hashNotEqual: r.absent_or_not_hash_equal.hash_to_check,
    }),
    response: storedWithHash,
  }),
};

const ttlChange = (res: { type: "Set" | "NotSet" | "Miss" }) =>
  res.type === "Set"
    ? new UpdateTtl({ set: new UpdateTtl._Set() })
    : res.type === "NotSet"
    ? new UpdateTtl({ not_set: new UpdateTtl._NotSet() })
    : new UpdateTtl({ missing: new UpdateTtl._Missing() });

/** `UpdateTtl`'s three forms, each its own operation. */
const UPDATE_TTL: Record<string, GrpcMethod<OpName>> = {
  overwrite_to_milliseconds: method({
    op: "updateTtl",
    args: (r: pb._UpdateTtlRequest) => ({
      key: r.cache_key,
      ttlMs: positiveInteger(r.overwrite_to_milliseconds, "overwrite_to"),
    }),
    response: ttlChange,
  }),
  increase_to_milliseconds: method({
    op: "increaseTtl",
    args: (r: pb._UpdateTtlRequest) => ({
      key: r.cache_key,
      ttlMs: positiveInteger(r.increase_to_milliseconds, "increase_to"),
    }),
    response: ttlChange,
  }),
  decrease_to_milliseconds: method({
    op: "decreaseTtl",
    args: (r: pb._UpdateTtlRequest) => ({
      key: r.cache_key,
      ttlMs: positiveInteger(r.decrease_to_milliseconds, "decrease_to"),
    }),
    response: ttlChange,
  }),
};

/** A method chosen by the name of the request's oneof case. */
function byCase(
  table: Record<string, GrpcMethod<OpName>>,
  oneof: (request: never) => string,
  what: string,
): GrpcMethodChoice {
  return {
    choose: (request) => {
      const m = table[oneof(request as never)];
      if (m === undefined) throw invalid(`${what} is missing`);
      return m;
    },
  };
}

/** Scalar methods by name. */
export const SCALAR_METHODS: GrpcMethods = {
  Get: method({
    op: "get",
    args: (r: pb._GetRequest) => ({ key: r.cache_key }),
    response: (res) =>
      res.type === "Hit"
        ? new pb._GetResponse({ result: Hit, cache_body: res.value })
        : new pb._GetResponse({ result: Miss }),
  }),
  GetWithHash: method({
    op: "getWithHash",
    args: (r: pb._GetWithHashRequest) => ({ key: r.cache_key }),
    response: (res) =>
      res.type === "Hit"
        ? new GetWithHash({
          found: new GetWithHash._Found({ value: res.value, hash: res.hash }),
        })
        : new GetWithHash({ missing: new GetWithHash._Missing() }),
  }),
  Set: method({
    op: "set",
    args: (r: pb._SetRequest) => write(r),
    response: () => new pb._SetResponse({ result: Ok }),
  }),
  SetIf: byCase(SET_IF, (r: pb._SetIfRequest) => r.condition, "condition"),
  SetIfHash: byCase(
    SET_IF_HASH,
    (r: pb._SetIfHashRequest) => r.condition,
    "condition",
  ),
  SetIfNotExists: method({
    op: "setIfAbsent",
    args: (r: pb._SetIfNotExistsRequest) => write(r),
    response: (res) =>
      res.type === "Stored"
        ? new SetIfNotExists({ stored: new SetIfNotExists._Stored() })
        : new SetIfNotExists({ not_stored: new SetIfNotExists._NotStored() }),
  }),
  Delete: method({
    op: "delete",
    args: (r: pb._DeleteRequest) => ({ key: r.cache_key }),
    response: () => new pb._DeleteResponse(),
  }),
  Increment: method({
    op: "increment",
    args: (r: pb._IncrementRequest) => ({
      key: r.cache_key,
      amount: r.amount,
      ttlMs: positiveInteger(r.ttl_milliseconds, "ttl_milliseconds"),
    }),
    response: (res) => new pb._IncrementResponse({ value: res.value }),
  }),
  KeysExist: method({
    op: "keysExist",
    args: (r: pb._KeysExistRequest) => ({
      keys: nonEmpty(r.cache_keys, "cache_keys"),
    }),
    response: (res) => new pb._KeysExistResponse({ exists: res.exists }),
  }),
  UpdateTtl: byCase(
    UPDATE_TTL,
    (r: pb._UpdateTtlRequest) => r.update_ttl,
    "update_ttl",
  ),
  ItemGetTtl: method({
    op: "itemGetTtl",
    args: (r: pb._ItemGetTtlRequest) => ({ key: r.cache_key }),
    response: (res) =>
      res.type === "Hit"
        ? new ItemGetTtl({
          found: new ItemGetTtl._Found({
            remaining_ttl_millis: res.remainingTtlMs,
          }),
        })
        : new ItemGetTtl({ missing: new ItemGetTtl._Missing() }),
  }),
  ItemGetType: method({
    op: "itemGetType",
    args: (r: pb._ItemGetTypeRequest) => ({ key: r.cache_key }),
    response: (res) =>
      res.type === "Hit"
        ? new ItemGetType({
          found: new ItemGetType._Found({
            item_type: ITEM_TYPES.indexOf(res.itemType),
          }),
        })
        : new ItemGetType({ missing: new ItemGetType._Missing() }),
  }),
  // server-streaming: one response per key or item, in order
  GetBatch: method({
    op: "getBatch",
    args: (r: pb._GetBatchRequest) => ({
      keys: r.items.map((item) => item.cache_key),
    }),
    response: (res) =>
      res.results.map((v) =>
        v.type === "Hit"
          ? new pb._GetResponse({ result: Hit, cache_body: v.value })
          : new pb._GetResponse({ result: Miss })
      ),
  }),
  SetBatch: method({
    op: "setBatch",
    args: (r: pb._SetBatchRequest) => ({ items: r.items.map(write) }),
    // the operation stores every item or fails as a whole
    response: (_res, args) =>
      args.items.map(() => new pb._SetResponse({ result: Ok })),
  }),
};
