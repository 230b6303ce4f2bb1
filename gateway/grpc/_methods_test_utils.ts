/** Calls a gRPC method's translation as the wire carries it, against a memory store. */

import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import { MemoryStore } from "../../protocol/memory_store.ts";
import { type GrpcMethods, type Message, methodFor } from "./method.ts";

export const te = new TextEncoder();
export const td = new TextDecoder();
export const b = (s: string) => te.encode(s);
export const s = (u: Uint8Array) => td.decode(u);
const definition = pb.UnimplementedScsService.definition as unknown as Record<
  string,
  {
    requestDeserialize(b: Uint8Array): unknown;
    responseDeserialize(b: Uint8Array): unknown;
  }
>;

/** One call as the wire carries it (a stream: the list of its messages): serialized request in, serialized response out. */
export function caller(methods: GrpcMethods) {
  const store = new MemoryStore();
  // deno-lint-ignore no-explicit-any
  return async (name: string, request: Message): Promise<any> => {
    const d = definition[name]!;
    const decoded = d.requestDeserialize(request.serialize());
    const m = methodFor(methods[name]!, decoded);
    const args = m.args(decoded);
    const result = await store.execute(1, m.op, args);
    const out = m.response(result, args);
    return Array.isArray(out)
      ? out.map((o) => d.responseDeserialize(o.serialize()))
      : d.responseDeserialize(out.serialize());
  };
}

export const ttl = { ttl_milliseconds: 60_000, refresh_ttl: true };
