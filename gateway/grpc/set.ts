/**
 * The set methods of Momento's `Scs` service, as catalogue operations (see
 * `method.ts`).
 *
 * @module
 */

import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import { ErrorCode, KvoltError } from "../../protocol/errors.ts";
import {
  collectionTtl,
  type GrpcMethods,
  lengthResponse,
  method,
  nonEmpty,
  positiveInteger,
} from "./method.ts";

const Fetch = pb._SetFetchResponse;
const Sample = pb._SetSampleResponse;
const Pop = pb._SetPopResponse;
const Contains = pb._SetContainsResponse;
const Length = pb._SetLengthResponse;
const Difference = pb._SetDifferenceResponse;

/** Set methods by name. */
export const SET_METHODS: GrpcMethods = {
  SetUnion: method({
    op: "setAddElements",
    args: (r: pb._SetUnionRequest) => ({
      key: r.set_name,
      elements: nonEmpty(r.elements, "elements"),
      ...collectionTtl(r),
    }),
    response: () => new pb._SetUnionResponse(),
  }),
  SetDifference: method({
    op: "setRemoveElements",
    args: (r: pb._SetDifferenceRequest) => {
      // Momento's SDKs remove elements with `subtrahend.set`; `minuend` and
      // `subtrahend.identity` (drop the whole set) have no kvolt operation
      if (!r.has_subtrahend || !r.subtrahend.has_set) {
        throw new KvoltError(
          ErrorCode.INVALID_ARGUMENT,
          "Invalid argument: SetDifference needs subtrahend.set",
        );
      }
      return {
        key: r.set_name,
        elements: nonEmpty(
          r.subtrahend.set.elements,
          "subtrahend.set.elements",
        ),
      };
    },
    // the operation's result does not say whether the set existed
    response: () => new Difference({ found: new Difference._Found() }),
  }),
  SetContains: method({
    op: "setContainsElements",
    args: (r: pb._SetContainsRequest) => ({
      key: r.set_name,
      elements: nonEmpty(r.elements, "elements"),
    }),
    response: (res) =>
      res.type === "Miss"
        ? new Contains({ missing: new Contains._Missing() })
        : new Contains({
          found: new Contains._Found({ contains: res.contains }),
        }),
  }),
  SetFetch: method({
    op: "setFetch",
    args: (r: pb._SetFetchRequest) => ({ key: r.set_name }),
    response: (res) =>
      res.type === "Miss"
        ? new Fetch({ missing: new Fetch._Missing() })
        : new Fetch({ found: new Fetch._Found({ elements: res.elements }) }),
  }),
  SetSample: method({
    op: "setSample",
    args: (r: pb._SetSampleRequest) => ({ key: r.set_name, limit: r.limit }),
    response: (res) =>
      res.type === "Miss"
        ? new Sample({ missing: new Sample._Missing() })
        : new Sample({ found: new Sample._Found({ elements: res.elements }) }),
  }),
  SetPop: method({
    op: "setPop",
    args: (r: pb._SetPopRequest) => ({
      key: r.set_name,
      count: positiveInteger(r.count, "count"),
    }),
    response: (res) =>
      res.type === "Miss"
        ? new Pop({ missing: new Pop._Missing() })
        : new Pop({ found: new Pop._Found({ elements: res.elements }) }),
  }),
  SetLength: method({
    op: "setLength",
    args: (r: pb._SetLengthRequest) => ({ key: r.set_name }),
    response: (res) => lengthResponse(Length, res),
  }),
};
