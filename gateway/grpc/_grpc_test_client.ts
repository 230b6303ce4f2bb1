/** Test helper: unary calls to a gRPC listener through a grpc-js client. */

import { Buffer } from "node:buffer";
import * as grpc from "@grpc/grpc-js";
import type { Message } from "./method.ts";

/** A generated message class, for decoding responses. */
export interface Decoder<T> {
  deserializeBinary(bytes: Uint8Array): T;
}

/**
 * A grpc-js client for `address` (`host:port`) and its unary call. Its
 * connection is its own (grpc-js otherwise shares one per address between
 * clients).
 */
export function grpcTestClient(
  address: string,
  credentials = grpc.credentials.createInsecure(),
) {
  const client = new grpc.Client(address, credentials, {
    "grpc.use_local_subchannel_pool": 1,
  });
  /** One unary call: its response, or the gRPC error. */
  const call = <T>(
    path: string,
    request: Message | Uint8Array,
    decoder: Decoder<T>,
    metadata: Record<string, string>,
  ) =>
    new Promise<T>((resolve, reject) => {
      const md = new grpc.Metadata();
      for (const [k, v] of Object.entries(metadata)) md.set(k, v);
      client.makeUnaryRequest(
        path,
        (m: Message | Uint8Array) =>
          Buffer.from(m instanceof Uint8Array ? m : m.serialize()),
        (b: Uint8Array) => decoder.deserializeBinary(b),
        request,
        md,
        (err, value) => err ? reject(err) : resolve(value as T),
      );
    });
  return { call, close: () => client.close() };
}

/** The gRPC status code of a call that must fail. */
export async function failedCode(p: Promise<unknown>): Promise<grpc.status> {
  try {
    await p;
  } catch (err) {
    return (err as grpc.ServiceError).code;
  }
  throw new Error("the call succeeded");
}
