/**
 * Child processes of kvolt itself (`kvolt node` under `serve --nodes`, the
 * gRPC relay under `serve` and `kvolt node`): started as this program with a
 * subcommand, ready once they print a line starting with `READY_PREFIX`, and
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

/**
 * Runs `stop` when stdin closes: the parent holding the other end ended.
 *
 * @param stop what to do then
 */
export function stopWhenStdinCloses(stop: () => void): void {
  void Deno.stdin.readable.pipeTo(new WritableStream()).catch(() => {})
    .finally(stop);
}
