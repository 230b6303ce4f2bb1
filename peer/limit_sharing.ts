/**
 * {@linkcode LimitSharing}: a cluster's gateways enforce each cache's rate
 * limits together, not each in full. Every `everyMs` a gateway reports to
 * the control service how many operations per second it was asked of each
 * cache, gets the cluster's totals back, and takes the share of each
 * cache's limits that its demand is of the total:
 *
 *     share = (mine + 1) / (total + nodes)     (1 op/s each: no share is 0)
 *
 * The shares of the gateways that reported add up to 1, so the cluster
 * admits at most the cache's limit (plus each gateway's share of the
 * burst). Tolerance: shares follow demand one or two periods late (250 ms
 * each by default), so when traffic moves from one gateway to another, the
 * new one is held to its old share until its report comes back; and a
 * gateway that cannot reach the control service keeps its last shares.
 *
 * @module
 */

/** What the sharing needs of the gateway's rate limiter. */
export interface SharedLimiter {
  drainDemand(): Map<string, number>;
  setShares(shares: ReadonlyMap<string, number>): void;
}

/** The cluster's demand per cache: operations per second, nodes reporting. */
export type DemandTotals = Record<string, { rate: number; nodes: number }>;

/** Options of {@linkcode LimitSharing}. */
export interface SharingOptions {
  limiter: SharedLimiter;
  /** Sends this gateway's demand (ops/s by cache), answers the totals. */
  report(demand: Record<string, number>): Promise<DemandTotals>;
  /** Period, ms (default 250). */
  everyMs?: number;
  /** Clock, ms. */
  now?: () => number;
}

/** Splits each cache's rate limits over the gateways by demand. */
export class LimitSharing {
  readonly #o: SharingOptions;
  readonly #now: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #last: number;
  #stopped = false;
  /** Caches in the last totals. */
  #known: string[] = [];

  /** @param options the limiter and how to reach the control service */
  constructor(options: SharingOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
    this.#last = this.#now();
  }

  /** Starts the periodic exchange. */
  start(): void {
    this.#schedule();
  }

  /** Stops it. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(async () => {
      await this.exchange().catch(() => {
        // the control service is unreachable: keep the last shares
      });
      this.#schedule();
    }, this.#o.everyMs ?? 250);
  }

  /** One report and the shares it gives (exposed for tests). */
  async exchange(): Promise<void> {
    const now = this.#now();
    const seconds = Math.max((now - this.#last) / 1000, 0.001);
    this.#last = now;
    const demand: Record<string, number> = {};
    // a cache others ask for counts this gateway too, at 0: the shares of
    // every gateway then add up to 1
    for (const cache of this.#known) demand[cache] = 0;
    for (const [cache, ops] of this.#o.limiter.drainDemand()) {
      demand[cache] = ops / seconds;
    }
    const totals = await this.#o.report(demand);
    this.#known = Object.keys(totals);
    const shares = new Map<string, number>();
    for (const [cache, { rate, nodes }] of Object.entries(totals)) {
      if (nodes <= 1) continue; // alone: the whole limit
      shares.set(cache, ((demand[cache] ?? 0) + 1) / (rate + nodes));
    }
    this.#o.limiter.setShares(shares);
  }
}
