// Measures how long the page takes to show data: from navigation to the
// frame after the first rows of a view are in place (the performance mark
// painted-<view> the page sets), first with a cold browser cache, then the
// median of warm loads. Not a test: speed targets are reported, not asserted.
//
//   node measure.mjs http://127.0.0.1:PORT [view] [loads]
import { chromium } from "playwright-core";

const [base, view = "catalog", loads = "7"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const times = [];
for (let i = 0; i < Number(loads); i++) {
  // A new query each time, so each is a navigation (the page ignores it).
  await page.goto(`${base}/__admin/ui/?load=${i}#view=${view}`, { waitUntil: "commit" });
  await page.waitForSelector(`html[data-painted="${view}"]`, { timeout: 30_000 });
  times.push(await page.evaluate((v) => ({
    data: performance.getEntriesByName(`painted-${v}`)[0].startTime,
    fcp: (performance.getEntriesByName("first-contentful-paint")[0] || {}).startTime,
  }), view));
}
await browser.close();
const fmt = (n) => `${n.toFixed(0)} ms`;
const warm = times.slice(1).map((t) => t.data).sort((a, b) => a - b);
console.log(`${view}: first load ${fmt(times[0].data)} (first contentful paint ${fmt(times[0].fcp)}); ` +
  `warm median ${fmt(warm[Math.floor(warm.length / 2)])}, max ${fmt(warm[warm.length - 1])} over ${warm.length} loads`);
