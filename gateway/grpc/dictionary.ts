/**
 * The dictionary methods of Momento's `Scs` service, as catalogue operations
 * (see `method.ts`).
 *
 * @module
 */

import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import type { GrpcMethods } from "./method.ts";
import { collectionTtl, lengthResponse, method, nonEmpty } from "./method.ts";

const Get = pb._DictionaryGetResponse;
const Fetch = pb._DictionaryFetchResponse;
const Length = pb._DictionaryLengthResponse;

/** Dictionary methods by name. */
export const DICTIONARY_METHODS: GrpcMethods = {
  DictionarySet: method({
    op: "dictionarySetFields",
    args: (r: pb._DictionarySetRequest) => ({
      key: r.dictionary_name,
      fields: r.items.map((p) => ({ field: p.field, value: p.value })),
      ...collectionTtl(r),
    }),
    response: () => new pb._DictionarySetResponse(),
  }),
  DictionaryGet: method({
    op: "dictionaryGetFields",
    args: (r: pb._DictionaryGetRequest) => ({
      key: r.dictionary_name,
      fields: nonEmpty(r.fields, "fields"),
    }),
    response: (res) =>
      res.type === "Miss" ? new Get({ missing: new Get._Missing() }) : new Get({
        found: new Get._Found({
          items: res.results.map((v) =>
            v.type === "Hit"
              ? new Get._DictionaryGetResponsePart({
                result: pb.ECacheResult.Hit,
                cache_body: v.value,
              })
              : new Get._DictionaryGetResponsePart({
                result: pb.ECacheResult.Miss,
              })
          ),
        }),
      }),
  }),
  DictionaryFetch: method({
    op: "dictionaryFetch",
    args: (r: pb._DictionaryFetchRequest) => ({ key: r.dictionary_name }),
    response: (res) =>
      res.type === "Miss"
        ? new Fetch({ missing: new Fetch._Missing() })
        : new Fetch({
          found: new Fetch._Found({
            items: res.fields.map((f) =>
              new pb._DictionaryFieldValuePair({
                field: f.field,
                value: f.value,
              })
            ),
          }),
        }),
  }),
  DictionaryIncrement: method({
    op: "dictionaryIncrement",
    args: (r: pb._DictionaryIncrementRequest) => ({
      key: r.dictionary_name,
      field: r.field,
      amount: r.amount,
      ...collectionTtl(r),
    }),
    response: (res) =>
      new pb._DictionaryIncrementResponse({ value: res.value }),
  }),
  DictionaryDelete: method({
    op: "dictionaryRemoveFields",
    args: (r: pb._DictionaryDeleteRequest) => ({
      key: r.dictionary_name,
      // `all` removes the dictionary: kvolt has no such operation; Momento's
      // SDKs send only `some` (removeField / removeFields)
      fields: nonEmpty(r.has_some ? r.some.fields : [], "some.fields"),
    }),
    response: () => new pb._DictionaryDeleteResponse(),
  }),
  DictionaryLength: method({
    op: "dictionaryLength",
    args: (r: pb._DictionaryLengthRequest) => ({ key: r.dictionary_name }),
    response: (res) => lengthResponse(Length, res),
  }),
};
