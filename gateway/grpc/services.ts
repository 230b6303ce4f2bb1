/**
 * The gRPC services kvolt serves, from Momento's generated definitions (no
 * proto is written here): the data plane (`cache_client.Scs`,
 * `scs_service.ts`), control (`control_client.ScsControl`, `control.ts`),
 * tokens (`token.Token`, `token.ts`) and ping (`cache_client.Ping`). The
 * handlers answer through grpc-web (`web.ts`); the gRPC listener's relay
 * process (`relay.ts`) forwards each HTTP/2 call to them as grpc-web.
 *
 * @module
 */

import type * as grpc from "@grpc/grpc-js";
import { cache_client as ping } from "@gomomento/generated-types/dist/cacheping.js";
import { SERVICE_DEFINITIONS } from "./definitions.ts";
import { type ControlContext, controlHandlers } from "./control.ts";
import { type Handler, handler } from "./handler.ts";
import { type ScsContext, scsHandlers } from "./scs_service.ts";
import { type TokenContext, tokenHandlers } from "./token.ts";

/** What every service of the gRPC front ends needs. */
export type GrpcContext = ScsContext & ControlContext & TokenContext;

/** The services and handlers kvolt's gRPC front ends serve. */
export function grpcServices(context: GrpcContext): {
  definition: grpc.ServiceDefinition;
  handlers: Record<string, Handler>;
}[] {
  // in SERVICE_DEFINITIONS' order
  const handlers: Record<string, Handler>[] = [
    scsHandlers(context),
    controlHandlers(context),
    tokenHandlers(context),
    { Ping: handler(() => Promise.resolve(new ping._PingResponse()), false) },
  ];
  return SERVICE_DEFINITIONS.map((definition, i) => ({
    definition,
    handlers: handlers[i]!,
  }));
}
