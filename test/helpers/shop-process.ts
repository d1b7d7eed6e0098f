// Runs the real shop as its own process (src/main.ts through tsx), as in production: for the chaos run and
// the benchmarks, where the shop must have a core of its own and may be killed.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
    server.on("error", fail);
  });
}

export interface ShopProcess {
  readonly child: ChildProcess;
  /** Milliseconds from spawn to a healthy /healthz. */
  readonly startMs: number;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Spawns the shop with this environment (HTTP_PORT must be set) and waits until /healthz answers 200. */
export async function spawnShop(env: NodeJS.ProcessEnv, options: { cwd: string; logFile?: string; entry?: string[] }): Promise<ShopProcess> {
  const started = performance.now();
  // SHOP_CPU_PROF=<dir> profiles the shop process (written when it exits).
  const profile = process.env["SHOP_CPU_PROF"] ? ["--cpu-prof", `--cpu-prof-dir=${process.env["SHOP_CPU_PROF"]}`] : [];
  const args = [...profile, ...(options.entry ?? ["--import", import.meta.resolve("tsx"), join(ROOT, "src/main.ts")])];
  const child = spawn(process.execPath, args, { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  if (options.logFile) {
    const log = createWriteStream(options.logFile, { flags: "a" });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
  } else {
    child.stdout!.resume();
    child.stderr!.resume();
  }
  const url = `http://127.0.0.1:${env["HTTP_PORT"]}/healthz`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      const tail = options.logFile ? (await import("node:fs")).readFileSync(options.logFile, "utf8").slice(-2000) : "";
      throw new Error(`the shop exited with code ${child.exitCode} before it was healthy\n${tail}`);
    }
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("the shop did not become healthy within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const startMs = performance.now() - started;
  return {
    child,
    startMs,
    async kill(signal) {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill(signal);
      await exited;
    },
  };
}
