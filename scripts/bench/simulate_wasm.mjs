// Case C1 in wasm under Node: the bare M/M/c loop (the floor, engine/benches/floor.rs) and the
// simulator with the same scenario file and the same engine as the native run, then a week of a
// 50-agent line. Prints one JSON line each.
// Usage: node simulate_wasm.mjs ENGINE_PKG_DIR FLOOR_PKG_DIR ENQUIRIES
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const [pkg, floorPkg, count = "1000000"] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const engine = require(`${pkg}/switchboard_js.js`);
const floor = require(`${floorPkg}/switchboard_bench_wasm.js`);
const enquiries = Number(count);

const floorBegan = performance.now();
const floorWait = floor.bareMmcC1(enquiries);
const floorSeconds = (performance.now() - floorBegan) / 1000;
console.log(JSON.stringify({
  name: "bare M/M/c loop (wasm, Node)",
  enquiries,
  seconds: Number(floorSeconds.toFixed(3)),
  per_second: Math.round(enquiries / floorSeconds),
  p_wait: Number(floorWait.toFixed(4)),
}));

const file = new URL("../../tests/simulations/erlang_c1.json", import.meta.url);
const scenario = readFileSync(file, "utf8").replace('"enquiries": 400000', `"enquiries": ${count}`);
const began = performance.now();
const report = JSON.parse(engine.simulate(scenario));
const seconds = (performance.now() - began) / 1000;
console.log(JSON.stringify({
  name: "switchboard simulator (wasm, Node)",
  enquiries,
  seconds: Number(seconds.toFixed(3)),
  per_second: Math.round(enquiries / seconds),
  p_wait: Number(report.waiting.probability.toFixed(4)),
}));

// The week of a 50-agent line at about 2,000 enquiries a weekday, as a page would run it.
const week = readFileSync(new URL("../../tests/simulations/support_week.json", import.meta.url), "utf8");
const weekBegan = performance.now();
const weekReport = JSON.parse(engine.simulate(week));
const weekSeconds = (performance.now() - weekBegan) / 1000;
console.log(JSON.stringify({
  name: "support week, 50 agents (wasm, Node)",
  enquiries: weekReport.enquiries.offered,
  seconds: Number(weekSeconds.toFixed(3)),
  per_second: Math.round(weekReport.enquiries.offered / weekSeconds),
  p_wait: Number(weekReport.waiting.probability.toFixed(4)),
}));
