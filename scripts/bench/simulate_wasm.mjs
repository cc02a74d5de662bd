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
const scenario = (name) => readFileSync(new URL(`../../tests/simulations/${name}`, import.meta.url), "utf8");

// Times `run`, which returns how many enquiries it simulated and the share that waited.
function measure(name, run) {
  const began = performance.now();
  const { simulated, waited } = run();
  const seconds = (performance.now() - began) / 1000;
  console.log(JSON.stringify({
    name,
    enquiries: simulated,
    seconds: Number(seconds.toFixed(3)),
    per_second: Math.round(simulated / seconds),
    p_wait: Number(waited.toFixed(4)),
  }));
}

// The report of a simulation run through the engine's JSON API.
function simulate(text) {
  const report = JSON.parse(engine.simulate(text));
  return { simulated: report.enquiries.offered, waited: report.waiting.probability };
}

measure("bare M/M/c loop (wasm, Node)", () => ({
  simulated: enquiries,
  waited: floor.bareMmcC1(enquiries),
}));
const c1 = scenario("erlang_c1.json").replace('"enquiries": 400000', `"enquiries": ${count}`);
// The report counts enquiries after the warm-up hour; the rate is per enquiry simulated.
measure("switchboard simulator (wasm, Node)", () => ({ ...simulate(c1), simulated: enquiries }));
// The week of a 50-agent line at about 2,000 enquiries a weekday, as a page would run it.
measure("support week, 50 agents (wasm, Node)", () => simulate(scenario("support_week.json")));
