// In wasm under Node: a week of a 50-agent line, then case C1 in the bare M/M/c loop (the floor,
// engine/benches/floor.rs) and in the simulator, with the same scenario file and the same engine
// as the native run. Prints one JSON line each.
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
// `warmUp` runs first, untimed: V8 starts every function in baseline code and optimizes it once
// it is hot, but only for its next call, so a loop that runs as one long call would otherwise be
// timed in baseline code to the end (the floor is one such call). The optimized code is compiled
// in the background: a pause after the warm-up lets it be ready for the timed call, which
// otherwise starts in baseline code whenever the compilation takes longer than the warm-up.
async function measure(name, warmUp, run) {
  if (warmUp) {
    warmUp();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
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

// The week of a 50-agent line at about 2,000 enquiries a weekday, as a page would run it: the
// engine's first run, with no warm-up.
await measure("support week, 50 agents (wasm, Node)", null, () => simulate(scenario("support_week.json")));
// Each warm-up is a tenth of the measured run.
const tenth = Math.max(1, Math.round(enquiries / 10));
const c1 = (n) => scenario("erlang_c1.json").replace('"enquiries": 400000', `"enquiries": ${n}`);
await measure("bare M/M/c loop (wasm, Node)", () => floor.bareMmcC1(tenth), () => ({
  simulated: enquiries,
  waited: floor.bareMmcC1(enquiries),
}));
// The report counts enquiries after the warm-up hour; the rate is per enquiry simulated.
await measure("switchboard simulator (wasm, Node)", () => simulate(c1(tenth)), () => ({
  ...simulate(c1(enquiries)),
  simulated: enquiries,
}));
