/**
 * The definitions of the gRPC services kvolt serves, from Momento's
 * generated types: what the handlers (`services.ts`) and the relay
 * (`relay.ts`, which imports nothing else of kvolt) both need.
 *
 * @module
 */

import type * as grpc from "@grpc/grpc-js";
import { cache_client as cache } from "@gomomento/generated-types/dist/cacheclient.js";
import { cache_client as ping } from "@gomomento/generated-types/dist/cacheping.js";
import { control_client as control } from "@gomomento/generated-types/dist/controlclient.js";
import { token } from "@gomomento/generated-types/dist/token.js";

/**
 * The data plane, control, tokens and ping, in this order (`grpcServices`
 * pairs each with its handlers by position).
 */
export const SERVICE_DEFINITIONS: readonly grpc.ServiceDefinition[] = [
  cache.UnimplementedScsService.definition,
  control.UnimplementedScsControlService.definition,
  token.UnimplementedTokenService.definition,
  ping.UnimplementedPingService.definition,
] as unknown as grpc.ServiceDefinition[];
