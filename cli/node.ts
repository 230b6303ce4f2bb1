/**
 * `kvolt node`: one node of a cluster. It joins the control service with the
 * join token, hosts the slots the topology makes it primary of (a
 * `ShardHost` of `--capacity` bytes; 0 makes it a pure gateway, Momento's
 * second tier), serves them to the other nodes over the peer protocol
 * (`--peer-port`), and serves the public API (Momento paths, JSON API,
 * pipeline) routing every key to its slot's primary. Caches and the token
 * verification key come with the topology.
 *
 * A primary's writes reach the slot's replicas before they are acknowledged
 * (`peer/replicating_store.ts`), so when a primary dies its replica, promoted
 * by the control service, has them.
 *
 * A node that joins (or restarts) receives the items of the slots placed on
 * it from their primaries before it owns them (`peer/slot_mover.ts`).
 *
 * Reads follow Momento's read concern: BALANCED (default) from the slot's
 * nearest owner (an owner in this node's AZ), CONSISTENT (the
 * `read-concern: consistent` header) from its primary.
 *
 * A cache's rate limits hold cluster-wide: the gateways split them by
 * demand (`peer/limit_sharing.ts`).
 *
 * Every listener and client speaks TLS unless `--http` (loopback only): the
 * node trusts the cluster's CA (`--ca`, the control service's
 * `DIR/tls/ca.pem`) for the control service and its peers, and serves its
 * public API and the peer protocol with a certificate the control service
 * issues it at start (`POST /v1/cluster/certificates`, with the join token).
 *
 * @module
 */

import { createGateway, opLimits } from "../gateway/app.ts";
import { DEFAULT_RATE_LIMITS, RateLimiter } from "../gateway/rate_limits.ts";
import { TokenVerifier } from "../gateway/token_verifier.ts";
import { ClusterMember, requestCertificate } from "../peer/cluster_member.ts";
import { ClusterRouting } from "../peer/cluster_routing.ts";
import { LimitSharing } from "../peer/limit_sharing.ts";
import { OwnedStore } from "../peer/owned_store.ts";
import { servePeer } from "../peer/peer_server.ts";
import { PeerStore } from "../peer/peer_store.ts";
import {
  RemoteCacheRegistry,
  RemoteRevocations,
} from "../peer/remote_cache_registry.ts";
import { ReplicatingStore } from "../peer/replicating_store.ts";
import { SlotMover, SlotReceiver } from "../peer/slot_mover.ts";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import type { Store } from "../protocol/store.ts";
import { ShardHost } from "../store-wasm/shard_host.ts";
import { READY_PREFIX } from "./banner.ts";
import { bindPublic } from "./bind.ts";
import { DEFAULT_CONNECTION_LIMITS, serveListener } from "./listener.ts";
import { serverNames, unbracket } from "../control/tls_files.ts";
import { loadOrCreateSigner } from "../control/signing_key.ts";
import { urlHost } from "./hosts.ts";
import { stopWhenStdinCloses } from "./child.ts";
import { grpcFront } from "./grpc_front.ts";
import { planShards } from "./shard_plan.ts";
import type { NodeOptions } from "./node_args.ts";
import { StartError } from "./usage.ts";

/** Most public connections a node holds at once. */
const MAX_CONNECTIONS = 10_000;
/** How long in-flight requests may run on at shutdown, ms. */
const SHUTDOWN_MS = 10_000;

/** The signing key file `--signing-key` names (never creates one). */
async function loadSigner(path: string) {
  try {
    await Deno.stat(path);
  } catch (err) {
    throw new StartError(`Cannot read --signing-key ${path}: ${err}`);
  }
  return await loadOrCreateSigner(path);
}

/** A store for a node with no capacity: it owns no slot. */
function nothingHere(): Store {
  const fail = (): never => {
    throw new KvoltError(
      ErrorCode.SERVER_UNAVAILABLE,
      "This node holds no items (--capacity 0)",
    );
  };
  return { execute: fail, getMany: fail, flush: () => {} };
}

/** Runs a node until SIGTERM or SIGINT. */
export async function runNode(o: NodeOptions): Promise<void> {
  const joinToken = (await Deno.readTextFile(o.joinTokenFile)).trim();
  const host = o.capacityBytes > 0
    ? await ShardHost.create(planShards(o.capacityBytes))
    : undefined;
  const local: Store = host ?? nothingHere();
  const stopped = new AbortController();
  // TLS (unless --http): trust the cluster's CA for the control service and
  // the peers; serve with a certificate the control service issues
  const ca = o.caFile === undefined
    ? undefined
    : await Deno.readTextFile(o.caFile);
  const client = ca === undefined
    ? undefined
    : Deno.createHttpClient({ caCerts: [ca] });
  const controlFetch: typeof fetch = client === undefined
    ? fetch
    : (input, init) => fetch(input, { ...init, client });
  const tls = ca === undefined ? undefined : await requestCertificate(
    { control: o.control, joinToken, fetch: controlFetch },
    serverNames(o.host),
    stopped.signal,
  );
  const peerListener = tls === undefined
    ? Deno.listen({ hostname: unbracket(o.peerHost), port: o.peerPort })
    : Deno.listenTls({
      hostname: unbracket(o.peerHost),
      port: o.peerPort,
      cert: tls.cert,
      key: tls.key,
    });
  let handler: (req: Request) => Response | Promise<Response> = () =>
    new Response(
      '{"error":{"code":"SERVER_UNAVAILABLE","message":"The node is joining its cluster"}}',
      { status: 503, headers: { "content-type": "application/json" } },
    );
  // the public port through kvolt's own accept loop (`listener.ts`: head,
  // idle and body timeouts, a cap on connections), as `serve` does
  const server = serveListener(
    bindPublic({
      hostname: unbracket(o.host),
      port: o.port,
      tls,
      reusePort: o.reusePort,
    }),
    (req) => handler(req),
    { ...DEFAULT_CONNECTION_LIMITS, maxConnections: MAX_CONNECTIONS },
  );
  const url = `${tls ? "https" : "http"}://${
    urlHost(o.host)
  }:${server.addr.port}`;
  const peer = `${o.peerHost}:${(peerListener.addr as Deno.NetAddr).port}`;
  const member = await ClusterMember.join({
    control: o.control,
    joinToken,
    fetch: controlFetch,
    node: { id: o.id, az: o.az, capacity: o.capacityBytes, peer, url },
  }, stopped.signal);
  const first = member.topology;
  if (first.publicKey === undefined) {
    throw new StartError("The control service published no token key");
  }
  // a primary's writes go to the slot's replicas and to nodes receiving it
  // (ReplicatingStore, SlotMover); the routing is built after it, hence the
  // getter
  const ref: { routing?: ClusterRouting; mover?: SlotMover } = {};
  const primary = new ReplicatingStore(
    local,
    () => ref.mover?.replicaRouting(ref.routing!) ?? ref.routing!,
  );
  const routing = ref.routing = new ClusterRouting({
    self: o.id,
    az: o.az,
    local: primary,
    connect: (node) => {
      const at = node.peer.lastIndexOf(":");
      return new PeerStore({
        hostname: node.peer.slice(0, at),
        port: Number(node.peer.slice(at + 1)),
        ...(ca ? { caCerts: [ca] } : {}),
      });
    },
  }, first);
  const caches = new RemoteCacheRegistry(
    { control: o.control, joinToken, fetch: controlFetch },
    first.caches ?? [],
  );
  const verifierRef: { verifier?: TokenVerifier } = {};
  const mover = host === undefined ? undefined : ref.mover = new SlotMover({
    local: host,
    routing,
    report: (node, slots, from) => member.reportMoved(node, slots, from),
    reportStale: (node, slots) => member.reportStale(node, slots),
    flushes: () => primary.flushes,
  });
  member.onTopology((t) => {
    routing.apply(t);
    mover?.refresh();
    caches.apply(t.caches ?? []);
    verifierRef.verifier?.revoke(t.revoked ?? []);
  });
  const peers = servePeer(
    peerListener,
    new OwnedStore(primary, routing),
    new OwnedStore(local, routing, "replica"),
    host === undefined ? undefined : new SlotReceiver(host, routing),
  );
  mover?.refresh();
  const publicKey = await crypto.subtle.importKey(
    "jwk",
    first.publicKey,
    { name: "Ed25519" },
    true,
    ["verify"],
  );
  const verifier = verifierRef.verifier = new TokenVerifier(publicKey);
  verifier.revoke(member.topology.revoked ?? []);
  // each cache's rate limits hold cluster-wide: the gateways split them by
  // demand through the control service (peer/limit_sharing.ts)
  const limiter = new RateLimiter({ caches, defaults: DEFAULT_RATE_LIMITS });
  const sharing = new LimitSharing({
    limiter,
    report: (demand) => member.reportUsage(demand),
  });
  limiter.onRefusal = () => sharing.refused();
  sharing.start();
  const minter = o.signingKeyFile === undefined
    ? undefined
    : await loadSigner(o.signingKeyFile);
  // Momento's gRPC protocol, with its own read-concern metadata
  const grpc = grpcFront({
    host: o.host,
    port: o.grpcPort,
    tls,
    shutdownMs: SHUTDOWN_MS,
    reusePort: o.reusePort,
  }, {
    store: routing.nearest(),
    consistentStore: routing,
    caches,
    verifier,
    limits: opLimits(),
    limiter,
    minter,
  });
  grpc.endpoints.http = `${urlHost(o.host)}:${server.addr.port}`;
  await grpc.listen();
  // Momento's read concerns: BALANCED (the default) reads from the slot's
  // nearest owner (this AZ's replica); a request with `read-concern:
  // consistent` reads from the primary. Two gateways over the two views of
  // one routing, sharing everything else.
  const shared = {
    caches,
    verifier,
    revocations: new RemoteRevocations({
      control: o.control,
      joinToken,
      fetch: controlFetch,
    }),
    rateLimiter: limiter,
    corsOrigins: o.corsOrigins,
    grpcWeb: grpc.web,
    grpcPort: grpc.port,
    ...(minter === undefined ? {} : { minter }),
  };
  const balanced = createGateway({ store: routing.nearest(), ...shared });
  const consistent = createGateway({ store: routing, ...shared });
  handler = (req) =>
    req.headers.get("read-concern")?.toLowerCase() === "consistent"
      ? consistent.fetch(req)
      : balanced.fetch(req);
  console.log(
    `kvolt node ${o.id} (${o.az}, ${
      o.capacityBytes > 0 ? `${o.capacityBytes} bytes` : "pure gateway"
    }), peer protocol on ${peer}${
      grpc.endpoints.grpc === undefined
        ? ""
        : `, gRPC on ${grpc.endpoints.grpc}`
    }, topology version ${first.version}\n${READY_PREFIX}${url}`,
  );
  // a graceful stop leaves the cluster first: the slots' replicas take
  // over before this node stops answering
  let leaving: Promise<void> | undefined;
  const stop = () => {
    leaving ??= member.leave().finally(() => stopped.abort());
  };
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
  if (o.stopWithStdin) stopWhenStdinCloses(stop);
  await new Promise((resolve) =>
    stopped.signal.addEventListener("abort", resolve, { once: true })
  );
  await Promise.all([
    server.shutdown(SHUTDOWN_MS),
    grpc.shutdown(),
  ]);
  Deno.removeSignalListener("SIGTERM", stop);
  Deno.removeSignalListener("SIGINT", stop);
  mover?.close();
  sharing.stop();
  await leaving;
  await member.stop();
  routing.close();
  await peers.close();
  client?.close();
}
