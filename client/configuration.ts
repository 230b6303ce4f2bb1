/**
 * Client configuration, shaped like Momento's: immutable, with `with...`
 * copies, and presets in {@linkcode Configurations} (`Laptop`,
 * `InRegion.Default`, `InRegion.LowLatency`, `Lambda`, `Browser`, each with
 * `v1()` and `latest()`). sdk-core has no configuration classes (they live in
 * Momento's gRPC-specific SDKs), so these are kvolt's own.
 *
 * @module
 */

import {
  type MomentoLoggerFactory,
  NoopMomentoLoggerFactory,
  ReadConcern,
} from "./_sdk_core.ts";
import type { CompressionStrategy } from "./compression.ts";
import {
  ExponentialBackoffRetryStrategy,
  type RetryStrategy,
} from "./retry.ts";

/** Everything a {@linkcode Configuration} holds. */
export interface ConfigurationProps {
  /** Per-attempt deadline, ms. */
  clientTimeoutMillis: number;
  /** Throw SdkErrors instead of returning Error responses. */
  throwOnErrors: boolean;
  /** Retries for idempotent operations. */
  retryStrategy: RetryStrategy;
  /** zstd settings. */
  compressionStrategy: CompressionStrategy;
  /** Logger factory (Momento's interface); no logging by default. */
  loggerFactory: MomentoLoggerFactory;
  /**
   * Momento's read concern; CONSISTENT is sent as the `read-concern` header
   * (BALANCED, the default, sends nothing). Accepted by the server, which has
   * one copy of each item today, so both read the same.
   */
  readConcern?: ReadConcern;
}

/**
 * An immutable client configuration.
 *
 * @example
 * ```ts
 * import { Configurations } from "./configuration.ts";
 * const config = Configurations.Laptop.v1().withClientTimeoutMillis(2000)
 *   .withThrowOnErrors(true);
 * if (config.getClientTimeoutMillis() !== 2000) throw new Error();
 * if (!config.getThrowOnErrors()) throw new Error();
 * ```
 */
export class Configuration {
  readonly #props: ConfigurationProps;

  /** @param props every setting */
  constructor(props: ConfigurationProps) {
    if (!(props.clientTimeoutMillis > 0)) {
      throw new RangeError(
        `Invalid client timeout: must be > 0 ms: received ${props.clientTimeoutMillis}`,
      );
    }
    this.#props = { ...props };
  }

  /** Per-attempt deadline, ms. */
  getClientTimeoutMillis(): number {
    return this.#props.clientTimeoutMillis;
  }
  /** A copy with another per-attempt deadline. */
  withClientTimeoutMillis(clientTimeoutMillis: number): Configuration {
    return new Configuration({ ...this.#props, clientTimeoutMillis });
  }
  /** True when errors are thrown rather than returned. */
  getThrowOnErrors(): boolean {
    return this.#props.throwOnErrors;
  }
  /** A copy that throws (true) or returns (false) errors. */
  withThrowOnErrors(throwOnErrors: boolean): Configuration {
    return new Configuration({ ...this.#props, throwOnErrors });
  }
  /** The retry strategy for idempotent operations. */
  getRetryStrategy(): RetryStrategy {
    return this.#props.retryStrategy;
  }
  /** A copy with another retry strategy. */
  withRetryStrategy(retryStrategy: RetryStrategy): Configuration {
    return new Configuration({ ...this.#props, retryStrategy });
  }
  /** The zstd settings. */
  getCompressionStrategy(): CompressionStrategy {
    return this.#props.compressionStrategy;
  }
  /** A copy with other zstd settings. */
  withCompressionStrategy(
    compressionStrategy: CompressionStrategy,
  ): Configuration {
    return new Configuration({ ...this.#props, compressionStrategy });
  }
  /** The logger factory. */
  getLoggerFactory(): MomentoLoggerFactory {
    return this.#props.loggerFactory;
  }
  /** A copy with another logger factory. */
  withLoggerFactory(loggerFactory: MomentoLoggerFactory): Configuration {
    return new Configuration({ ...this.#props, loggerFactory });
  }
  /** The read concern (BALANCED unless set). */
  getReadConcern(): ReadConcern {
    return this.#props.readConcern ?? ReadConcern.BALANCED;
  }
  /** A copy with another read concern (Momento's `withReadConcern`). */
  withReadConcern(readConcern: ReadConcern): Configuration {
    return new Configuration({ ...this.#props, readConcern });
  }
}

/** A preset: `v1()` and `latest()`, each with an optional logger factory. */
export interface ConfigurationPreset {
  /** The preset as first defined; it never changes. */
  v1(loggerFactory?: MomentoLoggerFactory): Configuration;
  /** The newest version of the preset. */
  latest(loggerFactory?: MomentoLoggerFactory): Configuration;
}

function preset(clientTimeoutMillis: number): ConfigurationPreset {
  const make = (loggerFactory?: MomentoLoggerFactory) =>
    new Configuration({
      clientTimeoutMillis,
      throwOnErrors: false,
      retryStrategy: new ExponentialBackoffRetryStrategy(),
      compressionStrategy: {},
      loggerFactory: loggerFactory ?? new NoopMomentoLoggerFactory(),
    });
  return {
    /** The preset as first defined; it never changes. */
    v1: make,
    /** The newest version of the preset. */
    latest: make,
  };
}

/**
 * Momento's configuration presets: per-attempt timeouts of 5 s (Laptop,
 * Browser), 1.1 s (InRegion.Default, Lambda) and 0.5 s (InRegion.LowLatency);
 * 3 attempts for idempotent operations; errors returned, not thrown.
 *
 * @example
 * ```ts
 * import { Configurations } from "./configuration.ts";
 * if (Configurations.InRegion.LowLatency.latest().getClientTimeoutMillis() !== 500) {
 *   throw new Error();
 * }
 * ```
 */
export const Configurations: {
  Laptop: ConfigurationPreset;
  InRegion: { Default: ConfigurationPreset; LowLatency: ConfigurationPreset };
  Lambda: ConfigurationPreset;
  Browser: ConfigurationPreset;
} = {
  /** For a developer's machine: generous timeouts. */
  Laptop: preset(5000),
  /** For a client in the same region as the server. */
  InRegion: {
    /** Balanced for throughput and latency. */
    Default: preset(1100),
    /** Fails fast, for latency-sensitive paths. */
    LowLatency: preset(500),
  },
  /** For short-lived serverless functions. */
  Lambda: preset(1100),
  /** For browser apps. */
  Browser: preset(5000),
} as const;
