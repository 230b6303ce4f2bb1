/**
 * `kvolt node`'s flags, parsed and checked (`node.ts` runs the node).
 *
 * @module
 */

import { parseByteSize } from "./byte_size.ts";
import { isLoopbackHost } from "./hosts.ts";
import { parseCorsOrigins, parseGrpcPort } from "./serve_args.ts";
import { parseFlags, parsePort, UsageError } from "./usage.ts";

/** What `kvolt node` was asked to do. */
export interface NodeOptions {
  id: string;
  control: string;
  joinTokenFile: string;
  az: string;
  capacityBytes: number;
  host: string;
  port: number;
  peerPort: number;
  /** Share the public port with other processes (SO_REUSEPORT). */
  reusePort: boolean;
  /** `--grpc-port`: Momento's gRPC protocol, as `serve`'s; null for off. */
  grpcPort: number | null;
  /** Address of the peer listener (default: `host`). */
  peerHost: string;
  /**
   * The control service's signing key (`DIR/signing-key.jwk`): the gateway
   * mints tokens (`POST /v1/tokens`). `serve --nodes` passes its own; a node
   * of a real cluster holds the public key only.
   */
  signingKeyFile?: string;
  /** Stop (as on SIGTERM) when stdin closes: the parent that holds it died. */
  stopWithStdin: boolean;
  /** Browser origins allowed by CORS (`--cors-origins`, default none). */
  corsOrigins: readonly string[] | "localhost";
  http: boolean;
  /** The cluster CA's certificate file (TLS: every listener and client). */
  caFile?: string;
  help: boolean;
}

/**
 * Parses `kvolt node`'s flags.
 *
 * @throws UsageError for a bad or missing flag
 */
export function parseNodeArgs(args: string[]): NodeOptions {
  const v = parseFlags(args, {
    id: { type: "string" },
    control: { type: "string" },
    "join-token": { type: "string" },
    az: { type: "string", default: "az1" },
    capacity: { type: "string", default: "256MiB" },
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8443" },
    "peer-port": { type: "string", default: "8441" },
    "grpc-port": { type: "string" },
    http: { type: "boolean", default: false },
    "reuse-port": { type: "boolean", default: false },
    "peer-host": { type: "string" },
    "signing-key": { type: "string" },
    "stop-with-stdin": { type: "boolean", default: false },
    "cors-origins": { type: "string", default: "none" },
    ca: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (v.help) {
    return {
      id: "",
      control: "",
      joinTokenFile: "",
      az: "",
      capacityBytes: 0,
      host: "",
      port: 0,
      peerPort: 0,
      reusePort: false,
      grpcPort: null,
      peerHost: "",
      stopWithStdin: false,
      corsOrigins: [],
      http: false,
      help: true,
    };
  }
  for (const flag of ["id", "control", "join-token"] as const) {
    if (!v[flag]) throw new UsageError(`--${flag} is required`);
  }
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(v.id!)) {
    throw new UsageError("--id: letters, digits, '.', '_' and '-', at most 64");
  }
  const capacityBytes = v.capacity === "0" ? 0 : parseByteSize(v.capacity!);
  for (const flag of ["host", "peer-host"] as const) {
    if (v.http && v[flag] !== undefined && !isLoopbackHost(v[flag])) {
      throw new UsageError(`--http: only on a loopback host, not ${v[flag]}`);
    }
  }
  if (!v.http && !v.ca) {
    throw new UsageError(
      "--ca is required (the control service's DIR/tls/ca.pem: nodes trust it and get their certificate from the control service), or --http on loopback",
    );
  }
  if (v.http && v.ca) {
    throw new UsageError("--ca and --http exclude each other");
  }
  const port = parsePort("port", v.port);
  return {
    id: v.id!,
    control: v.control!.replace(/\/+$/, ""),
    joinTokenFile: v["join-token"]!,
    az: v.az!,
    capacityBytes,
    host: v.host!,
    port,
    peerPort: parsePort("peer-port", v["peer-port"]),
    reusePort: v["reuse-port"]!,
    grpcPort: parseGrpcPort(v["grpc-port"], port),
    peerHost: v["peer-host"] ?? v.host!,
    ...(v["signing-key"] ? { signingKeyFile: v["signing-key"] } : {}),
    stopWithStdin: v["stop-with-stdin"]!,
    corsOrigins: parseCorsOrigins(v["cors-origins"]!),
    http: v.http!,
    ...(v.ca ? { caFile: v.ca } : {}),
    help: false,
  };
}
