// npm run bench: builds the shop once, runs every benchmark in its own process, one after the other (they
// would compete for the 2 cores otherwise), and prints one table. Each file also runs alone:
//   npx tsx bench/pipeline.ts
import { execSync, spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { ROOT } from "../test/helpers/shop-process.js";
import { printTable, type BenchRow } from "./lib.js";

const BENCHES = ["webhook-intake", "pipeline", "sources", "slow-supplier", "pacing", "reply-latency", "bot-updates", "memory-start"];
const only = process.argv.slice(2);

execSync("npx tsc -p tsconfig.build.json", { cwd: ROOT, stdio: "inherit" });
const rows: BenchRow[] = [];
for (const name of BENCHES.filter((b) => only.length === 0 || only.includes(b))) {
  console.log(`\n▶ ${name}`);
  const run = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), `bench/${name}.ts`], {
    cwd: ROOT,
    env: { ...process.env, BENCH_SKIP_BUILD: "1" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout.split("\n").filter((line) => !line.startsWith("BENCH_RESULT")).join("\n"));
  const line = run.stdout.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (!line) {
    console.log(`${name} failed:\n${run.stderr.slice(-2000)}`);
    rows.push({ benchmark: name, measure: "did not finish", value: "-", target: "-", met: false });
    continue;
  }
  rows.push(...(JSON.parse(line.slice("BENCH_RESULT ".length)) as BenchRow[]));
}
console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
printTable(rows);
