/**
 * Set operations of `IDataClient` over the JSON API.
 *
 * @module
 */

import {
  CacheSetAddElements,
  CacheSetContainsElement,
  CacheSetContainsElements,
  CacheSetFetch,
  CacheSetLength,
  CacheSetPop,
  CacheSetRemoveElements,
  CacheSetSample,
} from "./_sdk_core.ts";
import type { IDataClient } from "./_sdk_core.ts";
import {
  validateSetName,
  validateSetPopCount,
  validateSetSampleLimit,
} from "./_sdk_core.ts";
import { collectionKey, type OpRunner } from "./op_runner.ts";
import { bytesAll } from "./value_codec.ts";
import { toBytes } from "./wire.ts";

/** The set methods of `IDataClient`. */
export type SetOps = Pick<
  IDataClient,
  | "setFetch"
  | "setAddElements"
  | "setContainsElement"
  | "setContainsElements"
  | "setRemoveElements"
  | "setSample"
  | "setPop"
  | "setLength"
>;

/**
 * Set operations.
 *
 * @param r the runner every call goes through
 */
export function setOps(r: OpRunner): SetOps {
  const named = collectionKey(validateSetName);
  const elementsOf = (res: { elements: Uint8Array[] }) => res.elements;
  const containsOf = (res: { contains: boolean[] }) => res.contains;
  return {
    setFetch: (cacheName, name, signal) =>
      r.call<"setFetch", CacheSetFetch.Response>({
        cacheName,
        op: "setFetch",
        signal,
        args: () => ({ key: named(name) }),
        error: (e) => new CacheSetFetch.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheSetFetch.Miss()
            : new CacheSetFetch.Hit(elementsOf(res)),
      }),
    setAddElements: (cacheName, name, elements, ttl, signal) =>
      r.call<"setAddElements", CacheSetAddElements.Response>({
        cacheName,
        op: "setAddElements",
        signal,
        args: () => ({
          key: named(name),
          elements: bytesAll(elements),
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheSetAddElements.Error(e),
        result: () => new CacheSetAddElements.Success(),
      }),
    setContainsElement: (cacheName, name, element, signal) =>
      r.call<"setContainsElements", CacheSetContainsElement.Response>({
        cacheName,
        op: "setContainsElements",
        signal,
        args: () => ({ key: named(name), elements: [toBytes(element)] }),
        error: (e) => new CacheSetContainsElement.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheSetContainsElement.Miss()
            : new CacheSetContainsElement.Hit(containsOf(res)[0] === true),
      }),
    setContainsElements: (cacheName, name, elements, signal) =>
      r.call<"setContainsElements", CacheSetContainsElements.Response>({
        cacheName,
        op: "setContainsElements",
        signal,
        args: () => ({ key: named(name), elements: bytesAll(elements) }),
        error: (e) => new CacheSetContainsElements.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheSetContainsElements.Miss()
            : new CacheSetContainsElements.Hit(
              bytesAll(elements),
              containsOf(res),
            ),
      }),
    setRemoveElements: (cacheName, name, elements, signal) =>
      r.call<"setRemoveElements", CacheSetRemoveElements.Response>({
        cacheName,
        op: "setRemoveElements",
        signal,
        args: () => ({ key: named(name), elements: bytesAll(elements) }),
        error: (e) => new CacheSetRemoveElements.Error(e),
        result: () => new CacheSetRemoveElements.Success(),
      }),
    setSample: (cacheName, name, limit, signal) =>
      r.call<"setSample", CacheSetSample.Response>({
        cacheName,
        op: "setSample",
        signal,
        args: () => {
          validateSetSampleLimit(limit);
          return { key: named(name), limit };
        },
        error: (e) => new CacheSetSample.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheSetSample.Miss()
            : new CacheSetSample.Hit(elementsOf(res)),
      }),
    setPop: (cacheName, name, count, signal) =>
      r.call<"setPop", CacheSetPop.Response>({
        cacheName,
        op: "setPop",
        signal,
        args: () => {
          validateSetPopCount(count);
          return { key: named(name), count };
        },
        error: (e) => new CacheSetPop.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheSetPop.Miss()
            : new CacheSetPop.Hit(elementsOf(res)),
      }),
    setLength: (cacheName, name, signal) =>
      r.call<"setLength", CacheSetLength.Response>({
        cacheName,
        op: "setLength",
        signal,
        args: () => ({ key: named(name) }),
        error: (e) => new CacheSetLength.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheSetLength.Miss()
            : new CacheSetLength.Hit(res.length),
      }),
  };
}
