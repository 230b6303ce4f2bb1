/**
 * The control service's cluster state: membership (`membership.ts`), the
 * versioned topology (`topology.ts`), and their persistence behind
 * {@linkcode ClusterStateStore} (a file in the data dir today; etcd next,
 * for a control plane that survives losing its host). Every change is
 * persisted before it is published, so a restarted control service resumes
 * with the same version and owners.
 *
 * @module
 */

import type { CacheLimits } from "../protocol/cache_limits.ts";
import type { CacheInfo, CacheRegistry } from "../protocol/store.ts";
import { readTextIfExists, writeFileAtomic } from "./_files.ts";
import {
  DEFAULT_FAILURE_TIMEOUT_MS,
  Membership,
  type NodeInfo,
} from "./membership.ts";
import {
  type Topology,
  TopologyKeeper,
  type TopologyState,
} from "./topology.ts";

/** Where the cluster state lives. */
export interface ClusterStateStore {
  load(): Promise<TopologyState | undefined>;
  save(state: TopologyState): Promise<void>;
}

/** The state in one JSON file, written atomically (temp, fsync, rename). */
export class FileClusterStateStore implements ClusterStateStore {
  readonly #path: string;

  /** @param path the file, e.g. `DIR/cluster.json` */
  constructor(path: string) {
    this.#path = path;
  }

  /** The saved state, or undefined before the first save. */
  async load(): Promise<TopologyState | undefined> {
    const text = await readTextIfExists(this.#path);
    if (text === undefined) return undefined;
    const state = JSON.parse(text) as TopologyState;
    if (
      !Number.isSafeInteger(state.version) || !Array.isArray(state.nodes) ||
      !Array.isArray(state.owners)
    ) {
      throw new Error(`${this.#path}: not a cluster state`);
    }
    return state;
  }

  /** Replaces the saved state. */
  async save(state: TopologyState): Promise<void> {
    await writeFileAtomic(this.#path, JSON.stringify(state));
  }
}

/** Options of {@linkcode ClusterService.open}. */
export interface ClusterOptions {
  store: ClusterStateStore;
  /** The caches, published with the topology (nodes follow them). */
  caches?: CacheRegistry;
  /** The public key tokens are verified with, published with the topology. */
  publicKey?: JsonWebKey;
  /** Owners per slot. */
  replicas: number;
  /** Failure timeout, ms (default 3 s). */
  failureTimeoutMs?: number;
  /** The clock, ms. */
  now?: () => number;
}

/** Membership and topology, persisted. */
export class ClusterService {
  readonly #store: ClusterStateStore;
  readonly #members: Membership;
  readonly #topology: TopologyKeeper;
  readonly #now: () => number;
  readonly #caches: CacheRegistry | undefined;
  #saving: Promise<void> = Promise.resolve();
  /** A version computed but not saved yet (its save failed). */
  #unsaved = false;
  /** Each node's latest demand report (`usage`). */
  readonly #usage = new Map<
    string,
    { at: number; demand: Readonly<Record<string, number>> }
  >();

  private constructor(
    store: ClusterStateStore,
    members: Membership,
    topology: TopologyKeeper,
    now: () => number,
    caches?: CacheRegistry,
  ) {
    this.#caches = caches;
    this.#store = store;
    this.#members = members;
    this.#topology = topology;
    this.#now = now;
  }

  /** Loads the saved state (or starts empty). */
  static async open(options: ClusterOptions): Promise<ClusterService> {
    const now = options.now ?? Date.now;
    const state = await options.store.load();
    const topology = new TopologyKeeper(options.replicas, state);
    const { caches, publicKey } = options;
    // three heartbeats per failure timeout: one late beat fails no node
    const heartbeatMs = Math.max(
      50,
      Math.floor(
        (options.failureTimeoutMs ?? DEFAULT_FAILURE_TIMEOUT_MS) / 3,
      ),
    );
    topology.carry(() => ({
      ...(caches ? { caches: caches.list() } : {}),
      ...(publicKey ? { publicKey } : {}),
      heartbeatMs,
    }));
    return new ClusterService(
      options.store,
      new Membership(
        options.failureTimeoutMs ?? DEFAULT_FAILURE_TIMEOUT_MS,
        state?.nodes ?? [],
        now(),
      ),
      topology,
      now,
      caches,
    );
  }

  /** Adds or re-registers a node; resolves once the change is saved. */
  async register(node: NodeInfo): Promise<Topology> {
    this.#members.register(node, this.#now());
    // it restarted (or is new): its memory holds nothing of its slots
    await this.#update([node.id]);
    return this.#topology.current();
  }

  /**
   * A node's heartbeat.
   *
   * @returns false for an unknown node (it must register)
   */
  async heartbeat(id: string): Promise<boolean> {
    const back = this.#members.heartbeat(id, this.#now());
    if (back === undefined) return false;
    if (back) await this.#update();
    return true;
  }

  /**
   * A slot's primary copied `slots` to `node` (see TopologyKeeper.moved);
   * resolves with the slots accepted once the topology naming it an owner is
   * saved and published.
   */
  async moved(
    source: string,
    node: string,
    slots: readonly number[],
    from: number,
  ): Promise<number[]> {
    const accepted = this.#topology.moved(source, node, slots, from);
    if (accepted.length > 0) {
      this.#unsaved = true;
      await this.#update();
    }
    return accepted;
  }

  /**
   * A slot's primary reports a replica that failed to apply a write (see
   * TopologyKeeper.stale); resolves once the topology without it as an
   * owner is saved and published.
   */
  async stale(
    source: string,
    node: string,
    slots: readonly number[],
  ): Promise<void> {
    if (this.#topology.stale(source, node, slots) > 0) this.#unsaved = true;
    await this.#update();
  }

  /**
   * A node's demand on each cache's rate limits (operations per second
   * asked of its gateway, by cache name); answers the cluster's totals from
   * the latest report of every node alive (reports older than 2 s are
   * dropped), with how many nodes reported each cache. Gateways split each
   * cache's limits in proportion (`peer/limit_sharing.ts`).
   */
  usage(
    node: string,
    demand: Readonly<Record<string, number>>,
  ): Record<string, { rate: number; nodes: number }> {
    const now = this.#now();
    this.#usage.set(node, { at: now, demand });
    const alive = new Set(
      this.#members.nodes(now).filter((n) => n.alive).map((n) => n.id),
    );
    const totals: Record<string, { rate: number; nodes: number }> = {};
    for (const [id, report] of this.#usage) {
      if (now - report.at > 2_000 || !alive.has(id)) {
        this.#usage.delete(id);
        continue;
      }
      for (const [cache, rate] of Object.entries(report.demand)) {
        const t = totals[cache] ??= { rate: 0, nodes: 0 };
        t.rate += rate;
        t.nodes++;
      }
    }
    return totals;
  }

  /** Removes a node for good. */
  async leave(id: string): Promise<boolean> {
    const was = this.#members.leave(id);
    if (was) await this.#update();
    return was;
  }

  /** Failure detection: call often (the service runs it every 250 ms). */
  async sweep(): Promise<void> {
    await this.#update();
  }

  /** The topology, held until its version is above `after` (see TopologyKeeper.waitAfter). */
  topology(
    after: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Topology> {
    return this.#topology.waitAfter(after, timeoutMs, signal);
  }

  /**
   * Creates a cache cluster-wide; resolves once the topology naming it is
   * saved and published.
   */
  async createCache(name: string): Promise<CacheInfo> {
    const info = await this.#registry().create(name);
    await this.#changed();
    return info;
  }

  /** Deletes a cache cluster-wide (nodes flush its items). */
  async deleteCache(name: string): Promise<CacheInfo> {
    const info = await this.#registry().delete(name);
    await this.#changed();
    return info;
  }

  /** Replaces a cache's rate limits cluster-wide. */
  async setCacheLimits(name: string, limits: CacheLimits): Promise<CacheInfo> {
    const info = await this.#registry().setLimits(name, limits);
    await this.#changed();
    return info;
  }

  /** Revokes a token id cluster-wide; resolves once published. */
  async revoke(id: string): Promise<void> {
    if (!this.#topology.revoke(id)) return;
    this.#unsaved = true;
    await this.#update();
  }

  #registry(): CacheRegistry {
    if (this.#caches === undefined) {
      throw new Error("This control service keeps no caches");
    }
    return this.#caches;
  }

  /** A change outside nodes and slots: a new version, saved and published. */
  #changed(): Promise<void> {
    this.#topology.bump();
    this.#unsaved = true;
    return this.#update();
  }

  /** Ends long polls (shutdown). */
  close(): void {
    this.#topology.release();
  }

  async #update(fresh: readonly string[] = []): Promise<void> {
    const nodes = this.#members.nodes(this.#now());
    if (!this.#topology.update(nodes, fresh) && !this.#unsaved) {
      return await this.#saving;
    }
    // saved before it is published: a restart never goes back on a version
    // a gateway has seen
    const state = this.#topology.state();
    this.#unsaved = true;
    this.#saving = this.#saving.then(() => this.#store.save(state)).then(
      () => {
        this.#unsaved = false;
        this.#topology.publish();
      },
      (err) => {
        // the version in force stays; the next sweep saves again
        console.error(
          `kvolt control: cannot save the cluster state (version ${state.version}): ${err}`,
        );
      },
    );
    await this.#saving;
  }
}
