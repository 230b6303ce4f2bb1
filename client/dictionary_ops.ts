/**
 * Dictionary operations of `IDataClient` over the JSON API.
 *
 * @module
 */

import {
  CacheDictionaryFetch,
  CacheDictionaryGetField,
  CacheDictionaryGetFields,
  CacheDictionaryIncrement,
  CacheDictionaryLength,
  CacheDictionaryRemoveField,
  CacheDictionaryRemoveFields,
  CacheDictionarySetField,
  CacheDictionarySetFields,
} from "./_sdk_core.ts";
import type { IDataClient } from "./_sdk_core.ts";
import {
  _DictionaryFieldValuePair,
  _DictionaryGetResponsePart,
  _ECacheResult,
} from "./_sdk_core.ts";
import { validateDictionaryName } from "./_sdk_core.ts";
import { collectionKey, type OpRunner, unexpected } from "./op_runner.ts";
import { bytesAll } from "./value_codec.ts";
import { toBytes } from "./wire.ts";

/** The dictionary methods of `IDataClient`. */
export type DictionaryOps = Pick<
  IDataClient,
  | "dictionarySetField"
  | "dictionarySetFields"
  | "dictionaryGetField"
  | "dictionaryGetFields"
  | "dictionaryFetch"
  | "dictionaryIncrement"
  | "dictionaryRemoveField"
  | "dictionaryRemoveFields"
  | "dictionaryLength"
>;

type Fields = Parameters<IDataClient["dictionarySetFields"]>[2];

/** dictionarySetFields' three input shapes as one list of pairs. */
function fieldPairs(
  fields: Fields,
): [string | Uint8Array, string | Uint8Array][] {
  if (fields instanceof Map) return [...fields];
  if (Array.isArray(fields)) return fields;
  return Object.entries(fields);
}

/**
 * Dictionary operations.
 *
 * @param r the runner every call goes through
 */
export function dictionaryOps(r: OpRunner): DictionaryOps {
  const named = collectionKey(validateDictionaryName);
  return {
    dictionarySetField: (cacheName, name, field, value, ttl, signal) =>
      r.call<"dictionarySetField", CacheDictionarySetField.Response>({
        cacheName,
        op: "dictionarySetField",
        signal,
        args: () => ({
          key: named(name),
          field: toBytes(field),
          value: toBytes(value),
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheDictionarySetField.Error(e),
        result: () => new CacheDictionarySetField.Success(),
      }),
    dictionarySetFields: (cacheName, name, fields, ttl, signal) =>
      r.call<"dictionarySetFields", CacheDictionarySetFields.Response>({
        cacheName,
        op: "dictionarySetFields",
        signal,
        args: () => ({
          key: named(name),
          fields: fieldPairs(fields).map(([field, value]) => ({
            field: toBytes(field),
            value: toBytes(value),
          })),
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheDictionarySetFields.Error(e),
        result: () => new CacheDictionarySetFields.Success(),
      }),
    dictionaryGetField: (cacheName, name, field, signal) =>
      r.call<"dictionaryGetField", CacheDictionaryGetField.Response>({
        cacheName,
        op: "dictionaryGetField",
        signal,
        args: () => ({ key: named(name), field: toBytes(field) }),
        error: (e) => new CacheDictionaryGetField.Error(e, toBytes(field)),
        result: (res) => {
          if (res.type === "Miss") {
            return new CacheDictionaryGetField.Miss(toBytes(field));
          }
          if (res.type !== "Hit") throw unexpected("dictionaryGetField", res);
          return new CacheDictionaryGetField.Hit(
            res.value,
            toBytes(field),
          );
        },
      }),
    dictionaryGetFields: (cacheName, name, fields, signal) =>
      r.call<"dictionaryGetFields", CacheDictionaryGetFields.Response>({
        cacheName,
        op: "dictionaryGetFields",
        signal,
        args: () => ({ key: named(name), fields: bytesAll(fields) }),
        error: (e) => new CacheDictionaryGetFields.Error(e),
        result: (res) => {
          if (res.type === "Miss") return new CacheDictionaryGetFields.Miss();
          const parts = res.results.map((one) => {
            return one.type === "Hit"
              ? new _DictionaryGetResponsePart(
                _ECacheResult.Hit,
                one.value,
              )
              : new _DictionaryGetResponsePart(
                _ECacheResult.Miss,
                new Uint8Array(),
              );
          });
          return new CacheDictionaryGetFields.Hit(parts, bytesAll(fields));
        },
      }),
    dictionaryFetch: (cacheName, name, signal) =>
      r.call<"dictionaryFetch", CacheDictionaryFetch.Response>({
        cacheName,
        op: "dictionaryFetch",
        signal,
        args: () => ({ key: named(name) }),
        error: (e) => new CacheDictionaryFetch.Error(e),
        result: (res) => {
          if (res.type === "Miss") return new CacheDictionaryFetch.Miss();
          return new CacheDictionaryFetch.Hit(
            res.fields.map((pair) => new _DictionaryFieldValuePair(pair)),
          );
        },
      }),
    dictionaryIncrement: (cacheName, name, field, amount = 1, ttl, signal) =>
      r.call<"dictionaryIncrement", CacheDictionaryIncrement.Response>({
        cacheName,
        op: "dictionaryIncrement",
        signal,
        args: () => ({
          key: named(name),
          field: toBytes(field),
          amount,
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheDictionaryIncrement.Error(e),
        result: (res) => new CacheDictionaryIncrement.Success(res.value),
      }),
    dictionaryRemoveField: (cacheName, name, field, signal) =>
      r.call<"dictionaryRemoveFields", CacheDictionaryRemoveField.Response>({
        cacheName,
        op: "dictionaryRemoveFields",
        signal,
        args: () => ({ key: named(name), fields: [toBytes(field)] }),
        error: (e) => new CacheDictionaryRemoveField.Error(e),
        result: () => new CacheDictionaryRemoveField.Success(),
      }),
    dictionaryRemoveFields: (cacheName, name, fields, signal) =>
      r.call<"dictionaryRemoveFields", CacheDictionaryRemoveFields.Response>({
        cacheName,
        op: "dictionaryRemoveFields",
        signal,
        args: () => ({ key: named(name), fields: bytesAll(fields) }),
        error: (e) => new CacheDictionaryRemoveFields.Error(e),
        result: () => new CacheDictionaryRemoveFields.Success(),
      }),
    dictionaryLength: (cacheName, name, signal) =>
      r.call<"dictionaryLength", CacheDictionaryLength.Response>({
        cacheName,
        op: "dictionaryLength",
        signal,
        args: () => ({ key: named(name) }),
        error: (e) => new CacheDictionaryLength.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheDictionaryLength.Miss()
            : new CacheDictionaryLength.Hit(res.length),
      }),
  };
}
