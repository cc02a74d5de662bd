// Case C1 in the simulator compiled to wasm, under Node: the same scenario file and the same
// engine as the native run. Prints one JSON line. Usage: node simulate_wasm.mjs PKG_DIR ENQUIRIES
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const [pkg, count = "1000000"] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const engine = require(`${pkg}/switchboard_js.js`);
const file = new URL("../../tests/simulations/erlang_c1.json", import.meta.url);
const scenario = readFileSync(file, "utf8").replace('"enquiries": 400000', `"enquiries": ${count}`);
const began = performance.now();
const report = JSON.parse(engine.simulate(scenario));
const seconds = (performance.now() - began) / 1000;
const enquiries = Number(count);
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
