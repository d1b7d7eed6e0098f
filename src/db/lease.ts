// One shop process per database: a lease row in SQLite (holder, heartbeat). A second process (a rolling deploy,
// a second container) waits as a standby until the holder stops or goes silent, or refuses to start.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { StartupError, type Component } from "../lib/component.js";
import type { Logger } from "../logger.js";
import type { Db } from "./connection.js";

/** When this process started: tells an earlier process that had the same pid from this one. */
const PROCESS_STARTED = String(Math.round(performance.timeOrigin));

export interface LeaseOptions {
  /** "wait": stand by until the lease is free; "refuse": stop at once with a clear message. */
  mode: "wait" | "refuse";
  logger: Logger;
  /** A holder silent for this long has died (a crash, a SIGKILL): its lease may be taken. */
  ttlMs?: number;
  heartbeatMs?: number;
  /** Another process took the lease while this one held it (this one was frozen past the TTL): it must stop now. */
  onLost: (message: string) => void;
  /** Wall-clock time: the lease is about real processes, whatever clock the orders run on. */
  now?: () => number;
}

export interface Lease extends Component {
  readonly holder: string;
  readonly state: "idle" | "standby" | "held" | "released";
}

/**
 * Whether the holder is a process of this machine that no longer runs, so its lease need not go stale first
 * (a crashed or killed shop restarted at once; a restarted container keeps its hostname and pid 1).
 */
export function holderIsGone(holder: string): boolean {
  const [host, pidText, startedText] = holder.split(":");
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isSafeInteger(pid) || pid <= 0) return false;
  // Our own pid: another shop in this process (same start time), or an earlier life of this pid (a restart).
  if (pid === process.pid) return startedText !== PROCESS_STARTED;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

interface LeaseRow {
  holder: string;
  acquired_at: number;
  heartbeat_at: number;
}

export function createLease(db: Db, options: LeaseOptions): Lease {
  const ttlMs = options.ttlMs ?? 30_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(ttlMs / 6));
  const now = options.now ?? Date.now;
  const holder = `${hostname()}:${process.pid}:${PROCESS_STARTED}:${randomBytes(3).toString("hex")}`;
  const read = db.$client.prepare<[], LeaseRow>("SELECT holder, acquired_at, heartbeat_at FROM instance_lease WHERE id = 1");
  const take = db.$client.prepare<[string, number, number]>(
    "INSERT INTO instance_lease (id, holder, acquired_at, heartbeat_at) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at",
  );
  const beat = db.$client.prepare<[number, string]>("UPDATE instance_lease SET heartbeat_at = ? WHERE id = 1 AND holder = ?");
  const release = db.$client.prepare<[string]>("DELETE FROM instance_lease WHERE id = 1 AND holder = ?");
  let state: Lease["state"] = "idle";
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  /** Takes the lease when it is free or stale; returns the current holder's row when it is not. */
  const acquire = db.$client.transaction((): LeaseRow | undefined => {
    const row = read.get();
    const at = now();
    if (row && row.holder !== holder && row.heartbeat_at > at - ttlMs && !holderIsGone(row.holder)) return row;
    take.run(holder, at, at);
    return undefined;
  });
  // IMMEDIATE: two processes starting at once cannot both read "free" and both take it.
  const tryAcquire = () => acquire.immediate();

  function describe(row: LeaseRow): string {
    const seconds = Math.max(0, Math.round((now() - row.heartbeat_at) / 1000));
    return `another shop process (${row.holder}) is running on this database (last heartbeat ${seconds} s ago)`;
  }

  return {
    name: "instance lease",
    holder,
    get state() {
      return state;
    },
    async start() {
      let announced = false;
      for (;;) {
        if (stopped) throw new StartupError("stopped while waiting for the database lease");
        const other = tryAcquire();
        if (!other) break;
        if (options.mode === "refuse") {
          throw new StartupError(`${describe(other)}: stop it first; two processes on one database would deliver codes twice`);
        }
        if (!announced) {
          options.logger.warn({ holder: other.holder }, `${describe(other)}; waiting as a standby until it stops or goes silent for ${Math.round(ttlMs / 1000)} s`);
          announced = true;
        }
        state = "standby";
        await new Promise((resolve) => setTimeout(resolve, heartbeatMs));
      }
      state = "held";
      if (announced) options.logger.info({ holder }, "took over the database lease; starting");
      timer = setInterval(() => {
        try {
          if (beat.run(now(), holder).changes === 0) {
            clearInterval(timer);
            state = "released";
            options.onLost("another shop process took over this database (this one was unresponsive for longer than the lease); stopping to avoid double deliveries");
          }
        } catch (error) {
          // A busy database delays one heartbeat; the TTL leaves room for several.
          options.logger.warn({ err: error }, "could not renew the database lease; will try again");
        }
      }, heartbeatMs);
      timer.unref();
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      if (state === "held") {
        try {
          release.run(holder);
        } catch (error) {
          options.logger.warn({ err: error }, "could not release the database lease; the next process takes it when it goes stale");
        }
      }
      state = "released";
    },
  };
}
