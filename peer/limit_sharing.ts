/**
 * {@linkcode LimitSharing}: a cluster's gateways enforce each cache's rate
 * limits together, not each in full. Every `everyMs` a gateway reports to
 * the control service how many operations per second it was asked of each
 * cache, gets the cluster's totals back, and takes a share of each cache's
 * limit `L` (ops/s) by its demand `d` of the total `D` over `n` gateways:
 *
 *     D < L:  (d + (L - D) / n) / L   what it asks, plus an even part of
 *                                     the room left (traffic that moves to
 *                                     it finds room at once)
 *     D >= L: (d + 1) / (D + n)       in proportion to demand
 *
 * Either way the shares of the gateways that reported add up to 1, so the
 * cluster admits about the cache's limit (plus each gateway's share of the
 * burst). Tolerance: shares follow demand one period late (250 ms by
 * default; a gateway that refuses a request reports at once, at most every
 * 50 ms), so when a saturated cache's traffic moves from one gateway to
 * another, the new one is held to its old share meanwhile; a gateway that
 * cannot reach the control service keeps its last shares.
 *
 * @module
 */

/** What the sharing needs of the gateway's rate limiter. */
export interface SharedLimiter {
  drainDemand(): Map<string, number>;
  setShares(shares: ReadonlyMap<string, number>): void;
  /** A cache's whole operations limit, ops/s (undefined: not limited). */
  opsLimit(cache: string): number | undefined;
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
  /** An early report is on its way. */
  #busy = false;

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
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#run(), this.#o.everyMs ?? 250);
  }

  /** One exchange, then the next one a period later. */
  #run(): void {
    this.#busy = true;
    void this.exchange().catch(() => {
      // the control service is unreachable: keep the last shares
    }).finally(() => {
      this.#busy = false;
      this.#schedule();
    });
  }

  /**
   * The gateway refused a request: reports at once (at most every 50 ms)
   * rather than at the end of the period.
   */
  refused(): void {
    if (this.#stopped || this.#busy || this.#now() - this.#last < 50) return;
    clearTimeout(this.#timer);
    this.#run();
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
      const limit = this.#o.limiter.opsLimit(cache);
      if (nodes <= 1 || limit === undefined) continue; // the whole limit
      const mine = demand[cache] ?? 0;
      shares.set(
        cache,
        rate < limit
          ? (mine + (limit - rate) / nodes) / limit
          : (mine + 1) / (rate + nodes),
      );
    }
    this.#o.limiter.setShares(shares);
  }
}
