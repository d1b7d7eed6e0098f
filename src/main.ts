// Entry point: turns on Node's module compile cache first (what V8 compiled at one start is read back at the next:
// a start takes about a third less time, docs/BENCHMARKS.md), then runs the shop (run.ts). The cache lives in
// NODE_COMPILE_CACHE when set (the Docker image fills it at build time), else in the system's temporary folder.
import { enableCompileCache } from "node:module";

enableCompileCache();
await import("./run.js");
