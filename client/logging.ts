/**
 * Momento's `DefaultMomentoLoggerFactory` (from its Node SDK; sdk-core has
 * only the interfaces and the no-op one): logs to the console at or above a
 * level.
 *
 * @module
 */

import type { MomentoLogger, MomentoLoggerFactory } from "./_sdk_core.ts";

/** Momento's log levels, lowest first. */
export enum DefaultMomentoLoggerLevel {
  TRACE = "trace",
  DEBUG = "debug",
  INFO = "info",
  WARN = "warn",
  ERROR = "error",
}

const ORDER = ["trace", "debug", "info", "warn", "error"];

/**
 * Console loggers at or above a level (default INFO).
 *
 * @example
 * ```ts
 * import { DefaultMomentoLoggerFactory, DefaultMomentoLoggerLevel } from "./logging.ts";
 * const logger = new DefaultMomentoLoggerFactory(DefaultMomentoLoggerLevel.ERROR).getLogger("x");
 * logger.debug("not shown");
 * ```
 */
export class DefaultMomentoLoggerFactory implements MomentoLoggerFactory {
  readonly #level: number;

  /** @param level the lowest level logged */
  constructor(
    level: DefaultMomentoLoggerLevel = DefaultMomentoLoggerLevel.INFO,
  ) {
    this.#level = ORDER.indexOf(level);
  }

  /** @param loggerName a name or the object logging */
  getLogger(
    loggerName: string | { constructor: { name: string } },
  ): MomentoLogger {
    const name = typeof loggerName === "string"
      ? loggerName
      : loggerName.constructor.name;
    const at =
      (level: number, write: (...a: unknown[]) => void) =>
      (msg: string, ...extra: unknown[]) => {
        if (level >= this.#level) write(`[${name}] ${msg}`, ...extra);
      };
    return {
      trace: at(0, console.debug),
      debug: at(1, console.debug),
      info: at(2, console.info),
      warn: at(3, console.warn),
      error: at(4, console.error),
    };
  }
}
