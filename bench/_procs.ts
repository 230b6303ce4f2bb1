/**
 * Processes started by `deno task bench:http`: every one is registered in a
 * {@linkcode ProcessGroup} so that it is stopped at the end, on an error and
 * on Ctrl-C, and none outlives its time bound.
 *
 * @module
 */

/** A started server process. */
export interface Started {
  /** Process id. */
  pid: number;
  /** Every stdout line up to and including the ready line. */
  lines: string[];
  /** Sends SIGTERM (SIGKILL after a grace period) and waits for the exit. */
  stop(): Promise<void>;
}

/** What {@linkcode ProcessGroup.start} runs. */
export interface StartSpec {
  /** Executable. */
  command: string;
  /** Its arguments. */
  args: string[];
  /** True for the stdout line that says the server is ready. */
  ready?: (line: string) => boolean;
  /** Instead of a ready line: ready once this loopback port accepts. */
  readyPort?: number;
  /** Longest wait for the ready line, in ms. */
  timeoutMs: number;
  /** Working directory. */
  cwd?: string;
}

const GRACE_MS = 5_000;

/** The processes of one bench run. */
export class ProcessGroup {
  #running = new Set<() => Promise<void>>();

  /**
   * Spawns a server and waits for its ready line on stdout; kills it when it
   * does not come within `timeoutMs` or the process exits first.
   *
   * @param spec what to run and how to know it is ready
   * @returns the running server
   */
  async start(spec: StartSpec): Promise<Started> {
    const child = new Deno.Command(spec.command, {
      args: spec.args,
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let exited = false;
    const status = child.status.then((s) => {
      exited = true;
      return s;
    });
    const stderr = new Response(child.stderr).text();
    const reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    const signal = (name: Deno.Signal) => {
      if (exited) return;
      try {
        child.kill(name);
      } catch { /* already gone */ }
    };
    const stop = async () => {
      this.#running.delete(stop);
      signal("SIGTERM");
      const force = setTimeout(() => signal("SIGKILL"), GRACE_MS);
      await status;
      clearTimeout(force);
      await reader.cancel().catch(() => {});
      await stderr;
    };
    this.#running.add(stop);

    const lines: string[] = [];
    const timer = setTimeout(() => signal("SIGKILL"), spec.timeoutMs);
    try {
      if (spec.readyPort !== undefined) {
        await waitForPort(spec.readyPort, spec.timeoutMs, () => exited);
      }
      let buffer = "";
      while (spec.ready !== undefined) {
        const { value, done } = await reader.read();
        if (done) {
          await status;
          throw new Error(
            `Cannot start ${spec.command}: it exited before it was ready: ${
              (lines.join("\n") + "\n" + await stderr).trim()
            }`,
          );
        }
        buffer += value;
        const parts = buffer.split("\n");
        buffer = parts.pop()!;
        lines.push(...parts.map((p) => p.replace(/\r$/, "")));
        if (lines.some(spec.ready)) break;
      }
    } catch (err) {
      await stop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    // Keep draining stdout so a chatty server never blocks on a full pipe.
    (async () => {
      while (!(await reader.read().catch(() => ({ done: true }))).done) {
        // discard
      }
    })();
    return { pid: child.pid, lines, stop };
  }

  /**
   * Runs a command to completion, killed after `timeoutMs`.
   *
   * @param command executable
   * @param args its arguments
   * @param timeoutMs longest run
   * @returns exit code and output
   */
  async run(
    command: string,
    args: string[],
    timeoutMs: number,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    const controller = new AbortController();
    const abort = () => Promise.resolve(controller.abort());
    this.#running.add(abort);
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const out = await new Deno.Command(command, {
        args,
        stdin: "null",
        signal: controller.signal,
      }).output();
      const decoder = new TextDecoder();
      return {
        code: out.code,
        stdout: decoder.decode(out.stdout),
        stderr: decoder.decode(out.stderr),
      };
    } finally {
      clearTimeout(timer);
      this.#running.delete(abort);
    }
  }

  /** Stops every process still running. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#running].map((stop) => stop()));
  }
}

/**
 * A TCP port free on loopback right now (the OS picks it).
 *
 * @returns the port
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * Whether an executable is on PATH.
 *
 * @param name executable name
 * @returns true when found
 */
export async function onPath(name: string): Promise<boolean> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir === "") continue;
    try {
      const info = await Deno.stat(`${dir}/${name}`);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return true;
    } catch { /* not here */ }
  }
  return false;
}

/**
 * Resolves once something accepts TCP connections on a loopback port; polls
 * every 20 ms until `timeoutMs` or until `gone()` says the server exited.
 *
 * @param port the port
 * @param timeoutMs longest wait
 * @param gone true once the server has exited
 */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  gone: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch (err) {
      if (gone() || Date.now() > deadline) {
        throw new Error(
          `Cannot reach port ${port}: ${
            gone()
              ? "the server exited"
              : `nothing listens after ${timeoutMs} ms`
          }: ${(err as Error).message}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * CPU time (user + system) a process has used so far, in microseconds, from
 * `/proc` (Linux); undefined elsewhere or once it has exited.
 *
 * @param pid the process id
 * @returns microseconds of CPU time, or undefined
 */
export function cpuMicros(pid: number): number | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after the command name (which may hold spaces) in parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10_000 : undefined; // 100 Hz
  } catch {
    return undefined;
  }
}
