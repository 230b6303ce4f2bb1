/**
 * The list methods of Momento's `Scs` service, as catalogue operations (see
 * `method.ts`). `ListErase` has no kvolt operation and is not served.
 *
 * @module
 */

import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import type { GrpcMethods } from "./method.ts";
import { collectionTtl, lengthResponse, method, nonEmpty } from "./method.ts";

const PopFront = pb._ListPopFrontResponse;
const PopBack = pb._ListPopBackResponse;
const Fetch = pb._ListFetchResponse;
const Retain = pb._ListRetainResponse;
const Remove = pb._ListRemoveResponse;
const Length = pb._ListLengthResponse;

/** A truncation size: proto3's 0 means none. */
function truncate(size: number): number | undefined {
  return size === 0 ? undefined : size;
}

/** An index range as Momento sends it: unbounded or inclusive start, exclusive end. */
function range(
  r: {
    has_inclusive_start: boolean;
    inclusive_start: number;
    has_exclusive_end: boolean;
    exclusive_end: number;
  },
): { startIndex?: number; endIndex?: number } {
  return {
    ...(r.has_inclusive_start ? { startIndex: r.inclusive_start } : {}),
    ...(r.has_exclusive_end ? { endIndex: r.exclusive_end } : {}),
  };
}

/** List methods by name. */
export const LIST_METHODS: GrpcMethods = {
  ListPushFront: method({
    op: "listPushFront",
    args: (r: pb._ListPushFrontRequest) => ({
      key: r.list_name,
      value: r.value,
      truncateBackToSize: truncate(r.truncate_back_to_size),
      ...collectionTtl(r),
    }),
    response: (res) =>
      new pb._ListPushFrontResponse({ list_length: res.length }),
  }),
  ListPushBack: method({
    op: "listPushBack",
    args: (r: pb._ListPushBackRequest) => ({
      key: r.list_name,
      value: r.value,
      truncateFrontToSize: truncate(r.truncate_front_to_size),
      ...collectionTtl(r),
    }),
    response: (res) =>
      new pb._ListPushBackResponse({ list_length: res.length }),
  }),
  ListConcatenateFront: method({
    op: "listConcatenateFront",
    args: (r: pb._ListConcatenateFrontRequest) => ({
      key: r.list_name,
      values: nonEmpty(r.values, "values"),
      truncateBackToSize: truncate(r.truncate_back_to_size),
      ...collectionTtl(r),
    }),
    response: (res) =>
      new pb._ListConcatenateFrontResponse({ list_length: res.length }),
  }),
  ListConcatenateBack: method({
    op: "listConcatenateBack",
    args: (r: pb._ListConcatenateBackRequest) => ({
      key: r.list_name,
      values: nonEmpty(r.values, "values"),
      truncateFrontToSize: truncate(r.truncate_front_to_size),
      ...collectionTtl(r),
    }),
    response: (res) =>
      new pb._ListConcatenateBackResponse({ list_length: res.length }),
  }),
  // the pops' and the removal's results carry no length: Momento's SDKs
  // read only the value (ListPopFront.Hit) or nothing (ListRemoveValue)
  ListPopFront: method({
    op: "listPopFront",
    args: (r: pb._ListPopFrontRequest) => ({ key: r.list_name }),
    response: (res) =>
      res.type === "Miss"
        ? new PopFront({ missing: new PopFront._Missing() })
        : new PopFront({ found: new PopFront._Found({ front: res.value }) }),
  }),
  ListPopBack: method({
    op: "listPopBack",
    args: (r: pb._ListPopBackRequest) => ({ key: r.list_name }),
    response: (res) =>
      res.type === "Miss"
        ? new PopBack({ missing: new PopBack._Missing() })
        : new PopBack({ found: new PopBack._Found({ back: res.value }) }),
  }),
  ListFetch: method({
    op: "listFetch",
    args: (r: pb._ListFetchRequest) => ({ key: r.list_name, ...range(r) }),
    response: (res) =>
      res.type === "Miss"
        ? new Fetch({ missing: new Fetch._Missing() })
        : new Fetch({ found: new Fetch._Found({ values: res.values }) }),
  }),
  ListRetain: method({
    op: "listRetain",
    args: (r: pb._ListRetainRequest) => ({
      key: r.list_name,
      ...range(r),
      ...(r.ttl_milliseconds > 0 ? collectionTtl(r) : {}),
    }),
    response: () => new Retain({ found: new Retain._Found() }),
  }),
  ListRemove: method({
    op: "listRemoveValue",
    args: (r: pb._ListRemoveRequest) => ({
      key: r.list_name,
      value: r.all_elements_with_value,
    }),
    response: () => new Remove({ found: new Remove._Found() }),
  }),
  ListLength: method({
    op: "listLength",
    args: (r: pb._ListLengthRequest) => ({ key: r.list_name }),
    response: (res) => lengthResponse(Length, res),
  }),
};
