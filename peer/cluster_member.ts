/**
 * {@linkcode ClusterMember}: a node's side of the control service
 * (`control/cluster_routes.ts`). It registers the node, heartbeats every
 * second (registering again when the control service has forgotten it), and
 * follows the topology by long poll, calling back at every new version.
 *
 * While the control service cannot be reached, the member keeps the last
 * topology and retries (250 ms, doubling to 2 s): the data plane does not
 * depend on the control plane being up.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import {
  decodeSlots,
  type NodeInfo,
  type Topology,
} from "../protocol/topology.ts";

/** How a member reaches the control service. */
export interface MemberOptions {
  /** The control service's base URL. */
  control: string;
  /** The join token (`DIR/join-token` of the control service). */
  joinToken: string;
  /** This node. */
  node: NodeInfo;
  /** The fetch to use (e.g. one that trusts the cluster's CA). */
  fetch?: typeof fetch;
  /**
   * Heartbeat period, ms (default: what the topology says, a third of the
   * control service's failure timeout, else 1000).
   */
  heartbeatMs?: number;
  /** How long a topology poll is held, ms (default 30 s). */
  pollWaitMs?: number;
}

const RETRY_FIRST_MS = 250;
/** Longest wait for the control service to take a report, ms. */
const REPORT_MS = 5_000;
const RETRY_MAX_MS = 2_000;

/** A node's membership: registered, heartbeating, following the topology. */
export class ClusterMember {
  readonly #options: Required<MemberOptions>;
  readonly #stop = new AbortController();
  /** Ends the heartbeats only (leaving). */
  readonly #beats = new AbortController();
  #topology: Topology;
  #listeners: ((t: Topology) => void)[] = [];
  #loops: Promise<void>[] = [];

  private constructor(options: Required<MemberOptions>, first: Topology) {
    this.#options = options;
    this.#topology = first;
  }

  /**
   * Registers the node (retrying until the control service answers or
   * `signal` aborts) and starts heartbeating and following the topology.
   *
   * @returns the member, with the topology the registration returned
   */
  static async join(
    options: MemberOptions,
    signal?: AbortSignal,
  ): Promise<ClusterMember> {
    const full: Required<MemberOptions> = {
      fetch: globalThis.fetch,
      heartbeatMs: 0,
      pollWaitMs: 30_000,
      ...options,
      control: options.control.replace(/\/+$/, ""),
    };
    let delay = RETRY_FIRST_MS;
    while (true) {
      try {
        const first = await register(full, signal);
        const member = new ClusterMember(full, first);
        member.#loops = [member.#heartbeats(), member.#follow()];
        return member;
      } catch (err) {
        if (signal?.aborted || err instanceof JoinRefused) throw err;
        await wait(delay, signal);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  }

  /** The latest topology. */
  get topology(): Topology {
    return this.#topology;
  }

  /** Calls `listener` at every new topology version; returns its removal. */
  onTopology(listener: (t: Topology) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** Stops heartbeating and following (the node then looks dead). */
  async stop(): Promise<void> {
    this.#stop.abort();
    await Promise.allSettled(this.#loops);
  }

  /**
   * Leaves the cluster (a graceful stop): stops heartbeating, asks the
   * control service to drop the node (its slots' replicas take over at
   * once), follows the topology until it no longer names the node (every
   * write this node still runs as a primary meanwhile reaches the replicas
   * that take over), then stops. At most `waitMs` for that topology.
   */
  async leave(waitMs = 3_000): Promise<void> {
    this.#beats.abort();
    await this.#loops[0];
    const { control, node } = this.#options;
    try {
      const res = await this.#options.fetch(
        `${control}/v1/cluster/nodes/${encodeURIComponent(node.id)}`,
        {
          method: "DELETE",
          headers: { authorization: this.#options.joinToken },
          // a control service that does not answer must not hold the stop
          signal: AbortSignal.timeout(waitMs),
        },
      );
      await res.body?.cancel();
      const gone = Promise.withResolvers<void>();
      const off = this.onTopology((t) => {
        if (!t.nodes.some((n) => n.id === node.id)) gone.resolve();
      });
      if (!this.#topology.nodes.some((n) => n.id === node.id)) gone.resolve();
      const timer = setTimeout(gone.resolve, waitMs);
      await gone.promise;
      clearTimeout(timer);
      off();
    } catch {
      // the control service is unreachable: it declares the node dead later
    }
    await this.stop();
  }

  /**
   * Reports that this node, a primary, copied `slots` to `node` (the copy
   * began at topology `from`): see `slot_mover.ts`.
   *
   * @returns the slots the control service accepted, and the version that
   * makes `node` their owner
   * @throws KvoltError SERVER_UNAVAILABLE when the control service cannot be
   * reached or refuses
   */
  async reportMoved(
    node: string,
    slots: readonly number[],
    from: number,
  ): Promise<{ accepted: number[]; version: number }> {
    const res = await this.#report("moves", { node, slots, from });
    return await res.json() as { accepted: number[]; version: number };
  }

  /**
   * Reports that `node`, a replica of `slots` this node is primary of,
   * failed to apply a write; resolves once the topology where it no longer
   * owns them is published.
   *
   * @throws KvoltError SERVER_UNAVAILABLE when the control service cannot be
   * reached or refuses
   */
  async reportStale(node: string, slots: readonly number[]): Promise<void> {
    await (await this.#report("stale", { node, slots })).body?.cancel();
  }

  /**
   * Reports this node's demand on each cache's rate limits (ops/s by cache
   * name); answers the cluster's totals (`limit_sharing.ts`).
   */
  async reportUsage(
    demand: Record<string, number>,
  ): Promise<Record<string, { rate: number; nodes: number }>> {
    const res = await this.#report("usage", {
      node: this.#options.node.id,
      demand,
    });
    return await res.json() as Record<string, { rate: number; nodes: number }>;
  }

  async #report(what: string, body: object): Promise<Response> {
    const { control, joinToken } = this.#options;
    const fail = (why: string) =>
      new KvoltError(
        ErrorCode.SERVER_UNAVAILABLE,
        `Cannot report to the control service (${what}): ${why}`,
      );
    let res: Response;
    try {
      res = await this.#options.fetch(`${control}/v1/cluster/${what}`, {
        method: "POST",
        headers: {
          authorization: joinToken,
          "content-type": "application/json",
        },
        body: JSON.stringify({ source: this.#options.node.id, ...body }),
        // bounded: a write waiting on a stale report fails rather than hangs
        signal: AbortSignal.any([
          this.#stop.signal,
          AbortSignal.timeout(REPORT_MS),
        ]),
      });
    } catch (err) {
      throw fail(err instanceof Error ? err.message : String(err));
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw fail(`it answered ${res.status}`);
    }
    return res;
  }

  async #heartbeats(): Promise<void> {
    const { control, node } = this.#options;
    const signal = AbortSignal.any([this.#stop.signal, this.#beats.signal]);
    while (!signal.aborted) {
      try {
        await wait(
          this.#options.heartbeatMs || this.#topology.heartbeatMs || 1_000,
          signal,
        );
        const res = await this.#options.fetch(
          `${control}/v1/cluster/nodes/${
            encodeURIComponent(node.id)
          }/heartbeat`,
          {
            method: "POST",
            headers: { authorization: this.#options.joinToken },
            signal,
          },
        );
        await res.body?.cancel();
        // forgotten (the control service lost its state): register again
        if (res.status === 404) this.#publish(await register(this.#options));
      } catch {
        // unreachable: keep the topology, try at the next beat
      }
    }
  }

  async #follow(): Promise<void> {
    const { control, pollWaitMs } = this.#options;
    const signal = this.#stop.signal;
    let delay = RETRY_FIRST_MS;
    while (!signal.aborted) {
      try {
        const res = await this.#options.fetch(
          `${control}/v1/topology?after=${this.#topology.version}&waitMs=${pollWaitMs}`,
          { headers: { authorization: this.#options.joinToken }, signal },
        );
        if (res.status !== 200) {
          await res.body?.cancel();
          throw new Error(`topology: HTTP ${res.status}`);
        }
        this.#publish(checked(await res.json()));
        delay = RETRY_FIRST_MS;
      } catch {
        if (signal.aborted) return;
        await wait(delay, signal).catch(() => {});
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  }

  #publish(t: Topology): void {
    if (t.version <= this.#topology.version) return;
    this.#topology = t;
    for (const listener of this.#listeners) listener(t);
  }
}

/**
 * Asks the control service for this node's server certificate, signed by
 * the cluster's CA (retrying until it answers or `signal` aborts).
 *
 * @param names the host names and addresses it must cover
 * @returns the certificate and its key, PEM
 * @throws JoinRefused when the control service refuses (bad join token,
 * or it runs --http)
 */
export async function requestCertificate(
  options: Pick<MemberOptions, "control" | "joinToken" | "fetch">,
  names: readonly string[],
  signal?: AbortSignal,
): Promise<{ cert: string; key: string }> {
  const doFetch = options.fetch ?? globalThis.fetch;
  let delay = RETRY_FIRST_MS;
  while (true) {
    try {
      const res = await doFetch(
        `${options.control.replace(/\/+$/, "")}/v1/cluster/certificates`,
        {
          method: "POST",
          headers: {
            authorization: options.joinToken,
            "content-type": "application/json",
          },
          body: JSON.stringify({ names }),
          ...(signal ? { signal } : {}),
        },
      );
      if (res.status === 400 || res.status === 401) {
        throw new JoinRefused(
          `The control service refused a certificate: ${await res.text()}`,
        );
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        throw new Error(`certificate: HTTP ${res.status}`);
      }
      return await res.json() as { cert: string; key: string };
    } catch (err) {
      if (signal?.aborted || err instanceof JoinRefused) throw err;
      await wait(delay, signal);
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  }
}

/** The control service refused the node (bad join token or registration). */
export class JoinRefused extends Error {}

async function register(
  o: Required<MemberOptions>,
  signal?: AbortSignal,
): Promise<Topology> {
  const res = await o.fetch(`${o.control}/v1/cluster/nodes`, {
    method: "POST",
    headers: { authorization: o.joinToken, "content-type": "application/json" },
    body: JSON.stringify(o.node),
    ...(signal ? { signal } : {}),
  });
  if (res.status === 400 || res.status === 401) {
    const body = await res.text();
    throw new JoinRefused(`The control service refused the node: ${body}`);
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new Error(`register: HTTP ${res.status}`);
  }
  return checked(await res.json());
}

/** A topology as received, checked (a malformed one throws). */
function checked(value: unknown): Topology {
  const t = value as Topology;
  if (
    typeof t !== "object" || t === null || !Number.isSafeInteger(t.version) ||
    !Array.isArray(t.nodes) || !Array.isArray(t.slots)
  ) {
    throw new TypeError("not a topology");
  }
  decodeSlots(t.slots, t.nodes);
  if (t.pending !== undefined) decodeSlots(t.pending, t.nodes);
  return t;
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
