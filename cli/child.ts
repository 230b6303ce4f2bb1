/**
 * Child processes of kvolt itself (`kvolt node` under `serve --nodes`, the
 * gRPC relay under `serve` and `kvolt node`): started as this program with a
 * subcommand, ready once they print a line starting with `READY_PREFIX`,
 * started again whenever they exit ({@linkcode SupervisedChild}), and
 * stopped with SIGTERM, then SIGKILL. Each holds a pipe to its parent as
 * stdin that is never written: it closes when the parent ends, however it
 * ends (also SIGKILL), and the child stops on it.
 *
 * @module
 */

import { READY_PREFIX } from "./banner.ts";
import { StartError } from "./usage.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

/** A started child. */
export interface Child {
  /** What it is called in messages (e.g. `node-0`). */
  name: string;
  process: Deno.ChildProcess;
  /** Resolves with the rest of its ready line; rejects if it exits first. */
  ready: Promise<string>;
  exited: Promise<Deno.CommandStatus>;
}

/** How this program runs itself (deno, or the compiled binary). */
function selfCommand(): string[] {
  return Deno.build.standalone ? [] : ["run", "-A", "--unstable-net", MAIN];
}

/**
 * Starts `kvolt <args>` and follows its output to the ready line.
 *
 * @param name what the child is called in messages
 * @param args the subcommand and its flags
 * @returns the child
 */
export function startChild(name: string, args: string[]): Child {
  const process = new Deno.Command(Deno.execPath(), {
    args: [...selfCommand(), ...args],
    // never written: it closes when this process ends, and the child stops
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const ready = (async () => {
    let seen = "";
    const decoder = new TextDecoder();
    const reader = process.stdout.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new StartError(`${name} exited before it was ready`);
      seen += decoder.decode(value, { stream: true });
      const line = seen.split("\n").find((l) => l.startsWith(READY_PREFIX));
      if (line !== undefined) {
        // the rest of its output is not needed: drain it
        void (async () => {
          while (!(await reader.read()).done) { /* drain */ }
        })().catch(() => {});
        return line.slice(READY_PREFIX.length);
      }
    }
  })();
  // a caller that never awaits `ready` (a child that dies at start) must not
  // see an unhandled rejection
  ready.catch(() => {});
  return { name, process, ready, exited: process.status };
}

/**
 * Sends SIGTERM, then SIGKILL after `killAfterMs`; resolves once it exited.
 *
 * @param child the child
 * @param killAfterMs how long it may take to stop on its own
 */
export async function stopChild(
  child: Child,
  killAfterMs: number,
): Promise<void> {
  const signal = (name: Deno.Signal) => {
    try {
      child.process.kill(name);
    } catch { /* gone */ }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), killAfterMs);
  await child.exited;
  clearTimeout(timer);
}

/** A child that exits within this long of its start exited "quickly". */
const QUICK_EXIT_MS = 1000;
/** Longest wait before starting again a child that keeps exiting quickly. */
const MAX_RESTART_DELAY_MS = 5000;

/** What a supervisor's owner hears of its children. */
export interface SupervisionHooks {
  /** Each child as it starts (the first, and each one started again). */
  started?(child: Child): void;
  /** A child exited and another one is on its way. */
  exited?(): void;
}

/**
 * One child kept running: started at once, and started again whenever it
 * exits (at once after a long run; with a delay doubling up to 5 s while it
 * keeps exiting within a second of its start), until stopped. Each exit is
 * reported on stderr.
 */
export class SupervisedChild {
  readonly #name: string;
  readonly #args: string[];
  readonly #hooks: SupervisionHooks;
  #child!: Child;
  #quickExits = 0;
  #restart: ReturnType<typeof setTimeout> | undefined;
  #stopping = false;

  /**
   * @param name what the child is called in messages
   * @param args the subcommand and its flags
   * @param hooks what its owner hears
   */
  constructor(name: string, args: string[], hooks: SupervisionHooks = {}) {
    this.#name = name;
    this.#args = args;
    this.#hooks = hooks;
    this.#start();
  }

  /** The running child (or the last one, while the next waits to start). */
  get child(): Child {
    return this.#child;
  }

  #start(): void {
    const started = Date.now();
    const child = startChild(this.#name, this.#args);
    this.#child = child;
    this.#hooks.started?.(child);
    child.exited.then((status) => {
      if (this.#stopping) return;
      const quick = Date.now() - started < QUICK_EXIT_MS;
      this.#quickExits = quick ? this.#quickExits + 1 : 0;
      const delay = quick
        ? Math.min(MAX_RESTART_DELAY_MS, 100 * 2 ** this.#quickExits)
        : 0;
      console.error(
        `kvolt: ${this.#name} exited (${
          status.signal ?? `code ${status.code}`
        }); starting it again${delay > 0 ? ` in ${delay} ms` : ""}`,
      );
      this.#hooks.exited?.();
      this.#restart = setTimeout(() => this.#start(), delay);
    });
  }

  /**
   * Stops supervising and stops the child (SIGTERM, SIGKILL after
   * `killAfterMs`).
   */
  async stop(killAfterMs: number): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restart);
    await stopChild(this.#child, killAfterMs);
  }
}

/**
 * Runs `stop` when stdin closes: the parent holding the other end ended.
 *
 * @param stop what to do then
 */
export function stopWhenStdinCloses(stop: () => void): void {
  void Deno.stdin.readable.pipeTo(new WritableStream()).catch(() => {})
    .finally(stop);
}
