// End-to-end tests of the built app (target/www) in Debian's Chromium, driven by playwright-core.
// Each check drives the page as an administrator would and fails with what it saw. Screenshots
// go to tests/artifacts/. The figures of the performance budget (first load size, first render,
// frame rate of a big live run) are measured here and printed, not asserted: see the README.
//
//   node tests/e2e/run.mjs            (after scripts/build-web.sh)

import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const site = path.join(root, "target/www");
const artifacts = path.join(root, "tests/artifacts");
fs.mkdirSync(artifacts, { recursive: true });

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  const file = path.join(site, url.pathname === "/" ? "index.html" : decodeURIComponent(url.pathname));
  if (!file.startsWith(site) || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

let failed = 0;
const figures = {};
async function check(name, body) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await body(page);
    if (errors.length) throw new Error(`errors in the page: ${errors.join("; ")}`);
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e.stack ?? e).split("\n").slice(0, 4).join("\n     ")}`);
    await page.screenshot({ path: path.join(artifacts, `FAILED-${name.replace(/\W+/g, "-")}.png`) }).catch(() => {});
  } finally {
    await context.close();
  }
}
const shot = (page, name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
const number = async (page, id) => Number(await page.getByTestId(id).innerText());

await check("opens on the demo with a running simulation", async (page) => {
  const began = Date.now();
  await page.goto(base);
  await page.getByTestId("offered").waitFor();
  figures.first_render_ms = Date.now() - began;
  const first = await number(page, "offered");
  // The run plays on its own: wait for the count to grow (the check fails after 10 s).
  await page.waitForFunction((n) => Number(document.querySelector("[data-testid=offered]").innerText) > n,
    first, { timeout: 10000 }).catch(() => { throw new Error(`offered stayed at ${first}`); });
  const cards = await page.getByTestId("card").count();
  if (cards < 7) throw new Error(`only ${cards} cards in the queue`);
  // The response-time distribution: one bar per bucket, the answered enquiries split over them,
  // once the first enquiry has been answered.
  const histogram = page.locator("figure", { hasText: "First response, distribution" });
  await page.waitForFunction(() => [...document.querySelectorAll("figure")]
    .filter((f) => f.innerText.includes("First response, distribution"))
    .some((f) => [...f.querySelectorAll("tr")].some((r) => Number(r.innerText.match(/(\d+) ·/)?.[1] ?? 0) > 0)),
    null, { timeout: 20000 }).catch(() => { throw new Error("no answered enquiry in the histogram after 20 s"); });
  const rows = await histogram.locator("tr").allInnerTexts();
  if (rows.length !== 9 || !rows[0].startsWith("up to 10 s") || !rows[8].startsWith("over 1 h")) throw new Error(`histogram rows: ${rows}`);
  const counted = rows.reduce((n, r) => n + Number(r.match(/(\d+) ·/)?.[1] ?? NaN), 0);
  if (!(counted > 0)) throw new Error(`the histogram counts ${counted}`);
  await shot(page, "01-demo-running");
});

await check("enquiries are assigned and a decision explains itself", async (page) => {
  await page.goto(base);
  await page.locator(".entries li.offered").first().waitFor({ timeout: 15000 });
  await page.getByTestId("pause").click();
  const taken = await page.locator(".entries li.accepted").count();
  if (taken === 0) throw new Error("no enquiry was taken");
  await page.locator(".entries li.offered button").first().click();
  const why = page.getByTestId("why");
  await why.locator("li.chosen").first().waitFor();
  const text = await why.innerText();
  if (!/chosen|available|assigned/i.test(text)) throw new Error(`the explanation says: ${text}`);
  const skipped = await why.locator("li.skipped").count();
  if (skipped === 0) throw new Error("the explanation names no other agent");
  await shot(page, "02-explanation");
  // Paused, Step goes on to the next thing that happens (a few steps may share an instant),
  // and Reset starts the run again from its first instant, still paused.
  const clock = page.getByTestId("clock");
  const pausedAt = await clock.innerText();
  for (let i = 0; i < 20 && (await clock.innerText()) === pausedAt; i++) await page.getByTestId("step").click();
  if (!((await clock.innerText()) > pausedAt)) throw new Error(`Step left the clock at ${pausedAt}`);
  if (!((await number(page, "offered")) > 0)) throw new Error("nothing was offered before Reset");
  await page.getByTestId("reset").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=clock]").innerText === "08:30:00");
  if ((await number(page, "offered")) !== 0) throw new Error("Reset kept the run's counts");
  if (!(await page.getByTestId("play").isEnabled())) throw new Error("Play is not offered after Reset");
});

await check("edit the queue and a setting; the engine's diagnostics show at the field", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  const before = await page.getByTestId("card").count();
  await page.getByTestId("add-agent").click();
  if ((await page.getByTestId("card").count()) !== before + 1) throw new Error("no card added");
  const firstName = await page.getByTestId("card").first().locator("strong").innerText();
  await page.getByRole("button", { name: `Move ${firstName} down` }).click();
  const second = await page.getByTestId("card").nth(1).locator("strong").innerText();
  if (second !== firstName) throw new Error(`moved ${firstName} but second is ${second}`);
  // Dragging a card onto another puts it in that one's place.
  const dragged = await page.getByTestId("card").first().locator("strong").innerText();
  await page.getByTestId("card").first().dragTo(page.getByTestId("card").nth(2));
  const order = await page.getByTestId("card").locator("strong").allInnerTexts();
  if (order[2] !== dragged || order[0] !== firstName) throw new Error(`dragged ${dragged} to third: ${order}`);
  await page.getByLabel("Distribution").selectOption("strictly");
  const forward = page.getByLabel("Forward if not taken within");
  await forward.fill("abc");
  await page.getByText("`abc` is not a whole number").waitFor();
  await forward.fill("30");
  const field = forward.locator("xpath=ancestor::div[contains(@class,'field')]");
  await field.locator(".problems").waitFor();
  const said = await field.locator(".problems").innerText();
  if (!/60/.test(said)) throw new Error(`the diagnostic says: ${said}`);
  await forward.fill("120");
  // A seed that is not a number is kept as typed, with an error, and the run keeps its seed.
  const seed = page.getByLabel("Seed");
  await seed.fill("x1");
  await page.getByRole("alert").filter({ hasText: "The seed is a whole number" }).waitFor();
  if ((await seed.inputValue()) !== "x1") throw new Error("the typed seed was lost");
  await seed.fill("7");
  if (await page.getByRole("alert").filter({ hasText: "The seed is a whole number" }).count()) throw new Error("the seed error stayed");
  await shot(page, "03-edited");
  // A reload finds everything kept.
  await page.reload();
  await page.getByTestId("offered").waitFor();
  if ((await page.getByTestId("card").count()) !== before + 1) throw new Error("the added agent was lost");
  if ((await page.getByLabel("Distribution").inputValue()) !== "strictly") throw new Error("the mode was lost");
  if ((await page.getByLabel("Forward if not taken within").inputValue()) !== "120") throw new Error("the forward time was lost");
  await shot(page, "04-after-reload");
});

await check("working hours show in the line's zone and follow the days off", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  const monday = page.getByTestId("open-hours").locator("tr").first().locator("td");
  const said = await monday.getAttribute("aria-label");
  if (said !== "open 08:00–20:30") throw new Error(`Monday reads: ${said}`);
  await page.getByLabel("MO", { exact: true }).check();
  await page.waitForFunction(() => document.querySelector("[data-testid=open-hours] tr td")?.getAttribute("aria-label") === "day off");
  await page.getByLabel("Time zone").fill("Mars/Olympus");
  const field = page.getByLabel("Time zone").locator("xpath=ancestor::div[contains(@class,'field')]");
  await field.locator(".problems").waitFor();
  await shot(page, "05-hours");
});

await check("an agent's card edits its name, departments, state and shift", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  await page.getByRole("button", { name: "Edit Anna Becker" }).click();
  const form = page.getByTestId("agent-form");
  await form.getByLabel("Name").fill("Anna B.");
  await page.getByTestId("card").first().locator("strong").filter({ hasText: "Anna B." }).waitFor();
  await form.getByLabel("Shift starts").fill("7 o'clock");
  await form.locator(".problems").filter({ hasText: "7 o'clock" }).waitFor();
  await form.getByLabel("Shift starts").fill("07:00");
  await form.getByLabel("At the start of the run").selectOption("vacation");
  await page.getByTestId("card").first().getByTestId("state").filter({ hasText: "on vacation" }).waitFor();
  await shot(page, "05-agent-form");
});

await check("pausing an agent while it runs changes what the engine does", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  const card = page.getByTestId("card").first();
  await card.getByRole("button", { name: /Pause or resume/ }).click();
  await card.getByTestId("state").filter({ hasText: "paused" }).waitFor();
  await page.locator(".entries li.admin").filter({ hasText: "starts the pause" }).waitFor();
  // Away: the workday pauses (the demo's portal has time management), and the engine skips
  // the agent in the offers made from then on.
  const second = page.getByTestId("card").nth(1);
  const name = await second.locator("strong").innerText();
  await second.getByRole("button", { name: /Away or back to work/ }).click();
  await second.getByTestId("state").filter({ hasText: "away" }).waitFor();
  const before = await page.locator(".entries li.offered").count();
  await page.getByTestId("play").click();
  await page.waitForFunction((n) => document.querySelectorAll(".entries li.offered").length > n, before);
  await page.getByTestId("pause").click();
  await page.locator(".entries li.offered button").first().click();
  const skipped = await page.getByTestId("why").locator("li.skipped").allInnerTexts();
  if (!skipped.includes(`${name}: workday paused`)) throw new Error(`the decision says: ${skipped.join(" | ")}`);
  await second.getByRole("button", { name: /Away or back to work/ }).click();
  await second.getByTestId("state").filter({ hasNotText: "away" }).waitFor();
  await shot(page, "05-agent-paused");
});

await check("a corrupted store is reported and recovered, never a blank page", async (page) => {
  await page.goto(base);
  // The app must be up before the store is spoilt: an app that starts after it would recover
  // the store on this load, and the reload below would find it sound.
  await page.getByTestId("offered").waitFor();
  await page.evaluate(() => localStorage.setItem("switchboard.project", "{\"format\":\"switchboard-web\",\"version\":1,\"project\":{\"start\":12"));
  await page.reload();
  await page.getByRole("status").filter({ hasText: "could not be read" }).waitFor();
  const kept = await page.evaluate(() => localStorage.getItem("switchboard.project.unreadable"));
  if (!kept || !kept.includes("\"start\":12")) throw new Error("the unreadable text was not kept");
  await page.getByTestId("offered").waitFor();
  await shot(page, "06-recovered");
});

await check("import a Bitrix24 line", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  const response = JSON.stringify({ result: {
    ID: "3", LINE_NAME: "Sales", QUEUE_TYPE: "strictly", QUEUE_TIME: "120", NO_ANSWER_TIME: "300",
    CHECK_AVAILABLE: "N", MAX_CHAT: "3", TYPE_MAX_CHAT: "answered", WORKTIME_ENABLE: "Y",
    WORKTIME_FROM: "9", WORKTIME_TO: "18.30", WORKTIME_TIMEZONE: "Europe/Berlin", WORKTIME_DAYOFF: ["SA", "SU"],
    QUEUE: ["11", "12", "13"],
  } });
  await page.getByTestId("io").fill(response);
  await page.getByTestId("import-bitrix").click();
  await page.getByTestId("io-message").filter({ hasText: "Imported the Bitrix24 line" }).waitFor();
  const cards = await page.getByTestId("card").count();
  if (cards !== 3) throw new Error(`the imported queue shows ${cards} cards`);
  await page.getByTestId("io").fill("{ not json");
  await page.getByTestId("import").click();
  await page.getByTestId("io-message").filter({ hasText: "Not imported" }).waitFor();
  await shot(page, "07-bitrix-imported");
});

await check("a share link opens the same project", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  await page.getByTestId("add-agent").click();
  await page.getByTestId("share").click();
  const link = await page.getByTestId("io").inputValue();
  if (!link.includes("#project=")) throw new Error(`the link is ${link}`);
  const cards = await page.getByTestId("card").count();
  const other = await page.context().browser().newContext();
  const fresh = await other.newPage();
  await fresh.goto(link);
  await fresh.getByRole("status").filter({ hasText: "shared link" }).waitFor();
  const seen = await fresh.getByTestId("card").count();
  await other.close();
  if (seen !== cards) throw new Error(`the link shows ${seen} cards, not ${cards}`);
});

await check("compare two variants with the line as configured on the same arrivals", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  await page.getByLabel("Variant 1: mode").selectOption("strictly");
  await page.getByTestId("add-variant").click();
  await page.getByLabel("Variant 2: mode").selectOption("strictly");
  await page.locator("#variant-1-max").fill("1");
  await page.getByTestId("compare").click();
  const table = page.getByTestId("compared");
  await table.waitFor({ timeout: 60000 });
  const heads = await table.locator("thead th").allInnerTexts();
  for (const want of ["as configured", "mode strictly", "mode strictly, 1 dialog per agent"]) {
    if (!heads.includes(want)) throw new Error(`columns: ${heads}`);
  }
  const offered = await table.locator("tbody tr").first().locator("td").allInnerTexts();
  if (offered.length !== 3 || new Set(offered).size !== 1) throw new Error(`offered differs: ${offered}`);
  const fairness = await table.locator("tbody tr", { hasText: "Fairness" }).locator("td").allInnerTexts();
  if (new Set(fairness).size < 2) throw new Error(`the variants split the work alike: ${fairness}`);
  await shot(page, "08-compared");
});

await check("a second line has its own tab, settings and queue, and is kept", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  await page.getByTestId("add-line").click();
  const tabs = page.getByTestId("line-tab");
  if ((await tabs.count()) !== 2) throw new Error(`${await tabs.count()} tabs`);
  if ((await tabs.nth(1).getAttribute("aria-current")) !== "true") throw new Error("the new line is not shown");
  if ((await tabs.nth(0).getAttribute("aria-current")) !== null) throw new Error("both lines read as shown");
  await page.getByLabel("Line name").fill("Sales");
  await tabs.nth(1).filter({ hasText: "Sales" }).waitFor();
  await page.getByLabel("Distribution").selectOption("strictly");
  await page.getByTestId("add-agent").click();
  const onSales = await page.getByTestId("card").count();
  await tabs.nth(0).click();
  if ((await page.getByLabel("Distribution").inputValue()) !== "evenly") throw new Error("the first line's mode changed");
  if ((await page.getByTestId("card").count()) !== onSales - 1) throw new Error("the agent went to the first line too");
  await page.getByTestId("play").click();
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=offered]")?.innerText) > 0);
  await page.reload();
  await page.getByTestId("offered").waitFor();
  if ((await tabs.count()) !== 2) throw new Error("the second line was lost on reload");
  await tabs.nth(1).click();
  if ((await page.getByLabel("Distribution").inputValue()) !== "strictly") throw new Error("the second line's mode was lost");
  await shot(page, "10-two-lines");
  await page.getByTestId("remove-line").click();
  if ((await tabs.count()) !== 1) throw new Error("the line was not removed");
});

await check("holidays are picked on a calendar and close the line that day", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  const calendar = page.getByTestId("holiday-calendar");
  // The demo's run starts on Monday 2 March 2026; Tuesday is the 3rd.
  await calendar.getByRole("button", { name: "3 March", exact: true }).click();
  await calendar.getByRole("button", { name: "3 March, holiday" }).waitFor();
  const typed = await page.getByRole("textbox", { name: "Holidays" }).inputValue();
  if (!typed.split(", ").includes("03.03")) throw new Error(`the holidays read ${typed}`);
  await page.waitForFunction(() =>
    document.querySelectorAll("[data-testid=open-hours] tr td")[1]?.getAttribute("aria-label") === "holiday");
  await calendar.getByRole("button", { name: "Next month" }).click();
  await calendar.getByText("April 2026").waitFor();
  await shot(page, "11-holidays");
  await calendar.getByRole("button", { name: "Previous month" }).click();
  await calendar.getByRole("button", { name: "3 March, holiday" }).click();
  await calendar.getByRole("button", { name: "3 March", exact: true }).waitFor();
  if ((await page.getByRole("textbox", { name: "Holidays" }).inputValue()).includes("03.03")) throw new Error("the holiday stayed");
});

await check("the simulated traffic and people are edited in the page and kept", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  const volume = page.getByLabel(/^Enquiries on/);
  const was = Number(await volume.inputValue());
  if (!(was > 100)) throw new Error(`the demo's day brings ${was}`);
  await volume.fill("many");
  await page.getByRole("alert").filter({ hasText: "`many` is not a whole number" }).waitFor();
  if ((await volume.inputValue()) !== "many") throw new Error("the typed text was lost");
  await volume.fill(String(2 * was));
  await page.getByRole("alert").filter({ hasText: "is not a whole number" }).waitFor({ state: "detached" });
  // One hour of the profile: 10:00 to 11:00 gets 40 more enquiries, and the day's total follows.
  const ten = page.getByLabel("Enquiries from 10:00 to 11:00");
  const hourWas = Number(await ten.inputValue());
  await ten.fill("x");
  await page.getByTestId("profile").getByRole("alert").filter({ hasText: "10:00: `x`" }).waitFor();
  await ten.fill(String(hourWas + 40));
  await page.waitForFunction((want) => Number(document.getElementById("f-volume").value) === want, 2 * was + 40);
  // Another weekday's profile is edited apart from the first day's.
  await page.getByLabel("Day of the week").selectOption({ label: "Tuesday" });
  await page.getByTestId("profile").getByText("Enquiries an hour on Tuesdays").waitFor();
  await page.getByLabel("Enquiries from 09:00 to 10:00").fill("55");
  await page.getByLabel("Day of the week").selectOption({ index: 0 });
  if (Number(await ten.inputValue()) !== hourWas + 40) throw new Error("the first day's profile changed");
  if (Number(await volume.inputValue()) !== 2 * was + 40) throw new Error("Tuesday's rate counted on the first day");
  await page.getByLabel("Day of the week").selectOption({ label: "Tuesday" });
  if ((await page.getByLabel("Enquiries from 09:00 to 10:00").inputValue()) !== "55") throw new Error("Tuesday's rate was lost");
  const handling = page.getByLabel("Handling time, mean");
  await handling.fill("soon");
  await handling.locator("xpath=ancestor::div[contains(@class,'field')]").locator(".problems").waitFor();
  await handling.fill("12m");
  await page.getByLabel("Run length").fill("2h");
  // The whole run at once, simulated a slice of at most 12 ms a frame.
  await page.getByLabel("Speed").selectOption({ label: "to the end, as fast as it goes" });
  const began = Date.now();
  await page.getByTestId("play").click();
  await page.locator("[data-testid=play][disabled]").waitFor({ timeout: 20000 });
  figures.two_hour_run_ms = Date.now() - began;
  const clock = await page.getByTestId("clock").innerText();
  if (clock !== "10:30:00") throw new Error(`a two-hour run from 08:30 ends at ${clock}`);
  await shot(page, "12-traffic");
  await page.reload();
  await page.getByTestId("offered").waitFor();
  if (Number(await volume.inputValue()) !== 2 * was + 40) throw new Error(`the volume reads ${await volume.inputValue()}`);
  if ((await handling.inputValue()) !== "12m") throw new Error("the handling time was lost");
  await page.getByLabel("Day of the week").selectOption({ label: "Tuesday" });
  if ((await page.getByLabel("Enquiries from 09:00 to 10:00").inputValue()) !== "55") throw new Error("Tuesday's rate was not kept");
});

await check("a removal is undone and redone, and the undone state is what is kept", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  if (!(await page.getByTestId("undo").isDisabled())) throw new Error("undo is offered before any change");
  const cards = await page.getByTestId("card").count();
  const first = await page.getByTestId("card").first().locator("strong").innerText();
  await page.getByRole("button", { name: `Remove ${first}` }).click();
  if ((await page.getByTestId("card").count()) !== cards - 1) throw new Error("the agent was not removed");
  await page.getByTestId("undo").click();
  if ((await page.getByTestId("card").count()) !== cards) throw new Error("undo did not bring the agent back");
  if ((await page.getByTestId("card").first().locator("strong").innerText()) !== first) throw new Error("the agent came back elsewhere");
  await page.getByTestId("redo").click();
  if ((await page.getByTestId("card").count()) !== cards - 1) throw new Error("redo did not remove it again");
  await page.getByTestId("undo").click();
  await page.reload();
  await page.getByTestId("offered").waitFor();
  if ((await page.getByTestId("card").count()) !== cards) throw new Error("the undone state was not saved");
});

await check("every control has a name for screen readers and is reached by the keyboard", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  await page.getByTestId("add-line").click();
  await page.getByRole("button", { name: /^Edit / }).first().click();
  const unnamed = await page.evaluate(() => [...document.querySelectorAll("button, input, select, textarea")]
    .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || el.textContent.trim()))
    .map((el) => el.outerHTML.slice(0, 80)));
  if (unnamed.length) throw new Error(`controls without a name: ${unnamed.join(" | ")}`);
  const unreachable = await page.evaluate(() => [...document.querySelectorAll("button:not([disabled]), input, select, textarea")]
    .filter((el) => el.tabIndex < 0).map((el) => el.outerHTML.slice(0, 80)));
  if (unreachable.length) throw new Error(`controls out of the tab order: ${unreachable.join(" | ")}`);
  // The keyboard reaches the first control of the page from the top.
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement?.tagName);
  if (!["BUTTON", "INPUT", "SELECT", "A"].includes(focused)) throw new Error(`Tab lands on ${focused}`);
});

await check("frame rate of a live run with 200 agents and about 1,000 enquiries in flight", async (page) => {
  await page.goto(base);
  await page.getByTestId("pause").click();
  await page.getByTestId("export").click();
  // Build the big project from the demo: 200 agents with 5 dialogs each, a heavy flow.
  const project = JSON.parse(await page.getByTestId("io").inputValue());
  const agents = Array.from({ length: 200 }, (_, i) => ({ id: `a${i + 1}`, name: `Agent ${i + 1}` }));
  project.config.agents = agents;
  project.config.lines[0].queue = agents.map((a) => ({ user: a.id }));
  project.config.lines[0].max_chat = 5;
  // A burst fills every slot and the queue at once; steady arrivals keep it full.
  project.simulation.arrivals = [
    { kind: "burst", at: project.start, count: 1100, over: "2m" },
    { kind: "poisson", per_hour: 6000 }];
  project.simulation.agents = { default: {
    take: { fixed: "5s" }, first_reply: { fixed: "20s" }, handling: { exponential: "10m" } } };
  delete project.simulation.clients;
  delete project.simulation.enquiry;
  await page.evaluate((p) => localStorage.setItem("switchboard.project",
    JSON.stringify({ format: "switchboard-web", version: 1, project: p })), project);
  await page.reload();
  await page.getByTestId("offered").waitFor();
  await page.getByLabel("Speed").selectOption({ label: "10×" });
  // Measured once the burst is in flight: a thousand enquiries on the page.
  await page.waitForFunction(() => document.querySelectorAll(".dot").length
    + Number((document.querySelector("[data-testid=waiting]")?.previousElementSibling?.innerText.match(/\d+/) ?? [0])[0]) >= 1000,
    null, { timeout: 30000 });
  const result = await page.evaluate(() => new Promise((done) => {
    let frames = 0; const start = performance.now();
    const tick = (t) => { frames++; if (t - start < 3000) requestAnimationFrame(tick); else done({ frames, ms: t - start }); };
    requestAnimationFrame(tick);
  }));
  const inFlight = await page.evaluate(() => document.querySelectorAll(".dot").length
    + Number((document.querySelector("[data-testid=waiting]")?.previousElementSibling?.innerText.match(/\d+/) ?? [0])[0]));
  figures.big_run_fps = Math.round((result.frames * 1000) / result.ms * 10) / 10;
  figures.big_run_in_flight = inFlight;
  await shot(page, "09-big-run");
  // A comparison of this size takes seconds: it shows progress and can be cancelled.
  await page.getByTestId("pause").click();
  await page.getByTestId("compare").click();
  await page.getByTestId("compare-progress").waitFor();
  await page.getByTestId("compare-cancel").click();
  await page.getByTestId("compare").waitFor();
  if (await page.getByTestId("compared").count()) throw new Error("a cancelled comparison showed results");
});

// The first load's size: every file the page fetches, gzip-compressed.
let gzip = 0, raw = 0;
for (const f of fs.readdirSync(site)) {
  const bytes = fs.readFileSync(path.join(site, f));
  raw += bytes.length;
  gzip += zlib.gzipSync(bytes, { level: 9 }).length;
}
figures.first_load_raw_kb = Math.round(raw / 1024);
figures.first_load_gzip_kb = Math.round(gzip / 1024);

await browser.close();
server.close();
fs.writeFileSync(path.join(root, "target/e2e-figures.json"), JSON.stringify(figures, null, 1) + "\n");
console.log(`figures: ${JSON.stringify(figures)}`);
if (failed) { console.log(`${failed} end-to-end check(s) failed; screenshots in tests/artifacts/`); process.exit(1); }
console.log("all end-to-end checks passed; screenshots in tests/artifacts/");
