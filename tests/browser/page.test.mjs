// The web page (/__admin/ui/) in a real browser: Debian's chromium, driven
// by playwright-core (which downloads no browser), against an emulator that
// scripts/browser-test builds and starts with a frozen clock.
//
//   MOCKSERVER_URL   the emulator (required)
//   CHROMIUM         the browser (default /usr/bin/chromium)
//   ARTIFACTS        where screenshots go (kept by the script on failure)
//   UPDATE_SCREENSHOT=1  also write docs/images/page.png (1280×800) for the README

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const base = process.env.MOCKSERVER_URL;
const artifacts = process.env.ARTIFACTS || join(process.cwd(), "artifacts");
const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const wait = { timeout: 10_000 };
const wide = { width: 1280, height: 800 };
const narrow = { width: 390, height: 844 };

let browser, page, key, revision;
const requests = [];
const problems = [];

// allowed404 is the one failed load the page makes on purpose: it asks
// for the back-in-stock collections, which this emulator may not keep.
const allowed404 = (url) => /\/__admin\/accounts\/[^/]+\/back-in-stock-[a-z-]+/.test(url);

before(async () => {
  assert.ok(base, "MOCKSERVER_URL is not set (run scripts/browser-test)");
  mkdirSync(artifacts, { recursive: true });
  const index = await (await fetch(`${base}/__admin`)).json();
  key = index.example_key;
  revision = (await (await fetch(`${base}/__admin/catalog`)).json()).revision;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  page = await browser.newPage({ viewport: wide, colorScheme: "light" });
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (m.text().includes("status of 404") && allowed404(m.location().url)) return;
    problems.push(`console error: ${m.text()} at ${m.location().url}`);
  });
});

after(async () => {
  if (page) {
    await shot("end-1280x800", wide);
    await shot("end-390x844", narrow);
  }
  if (browser) await browser.close();
});

async function shot(name, size) {
  try {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(artifacts, `${name}.png`) });
  } catch (err) {
    console.error(`screenshot ${name}: ${err.message}`);
  }
}

// apiCall is a request an app makes with the account's key.
async function apiCall(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Klaviyo-API-Key ${key}`, revision, "Content-Type": "application/vnd.api+json" },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, doc: await res.json().catch(() => null) };
}

const panel = (id) => page.locator(`#panel-${id}`);
const rowWith = (id, text) => panel(id).locator("tbody tr", { hasText: text });

test("the page opens on the seeded catalog, its pictures loaded", async () => {
  await page.goto(`${base}/__admin/ui/`);
  await page.waitForSelector("html[data-painted]", wait);
  const rows = panel("catalog").locator("tbody tr:not(.empty)");
  assert.ok(await rows.count() >= 10, "fewer than 10 items shown");
  await page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll("#panel-catalog td.img img")].slice(0, 5);
    return imgs.length === 5 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, null, wait);
  await shot("catalog-1280x800", wide);
});

test("every control has an accessible name", async () => {
  const unnamed = await page.evaluate(() => [...document.querySelectorAll("button, input, select, textarea, [role=tab]")]
    .filter((el) => el.offsetParent !== null)
    .filter((el) => {
      const byId = (ids) => ids.split(/\s+/).map((i) => document.getElementById(i)?.textContent || "").join("");
      const name = el.getAttribute("aria-label") || (el.getAttribute("aria-labelledby") && byId(el.getAttribute("aria-labelledby"))) ||
        (el.labels && [...el.labels].map((l) => l.textContent).join("")) || (el.tagName === "BUTTON" || el.role === "tab" ? el.textContent : "") ||
        el.getAttribute("title");
      return !name || !name.trim();
    })
    .map((el) => el.outerHTML.slice(0, 120)));
  assert.deepEqual(unnamed, []);
});

test("a job created through the API appears, and advancing the clock from the page completes it", async () => {
  const item = await apiCall("POST", "/api/catalog-item-bulk-create-jobs", { data: { type: "catalog-item-bulk-create-job", attributes: { items: { data: [
    { type: "catalog-item", attributes: { external_id: "BROWSER-1", title: "From the browser test", description: "d", url: "https://example.com/b1" } }] } } } });
  assert.equal(item.status, 202, JSON.stringify(item.doc));
  const id = item.doc.data.id;
  await page.click("#tab-jobs");
  await rowWith("jobs", id).filter({ hasText: "queued" }).waitFor(wait);
  await page.getByLabel("Advance by").fill("90s");
  await page.getByRole("button", { name: "Advance", exact: true }).click();
  await rowWith("jobs", id).filter({ hasText: "complete" }).waitFor(wait);
  await shot("jobs-1280x800", wide);
});

test("a 429 fault rule added in the page fails the next API call, which the journal shows as faulted", async () => {
  await page.click("#tab-faults");
  const form = page.getByRole("form", { name: "Add a fault rule" });
  await form.getByLabel("Status", { exact: true }).selectOption("429");
  await form.getByLabel("Count", { exact: true }).fill("1");
  await form.getByRole("button", { name: "Add the rule" }).click();
  await rowWith("faults", "429").waitFor(wait);
  const r = await apiCall("GET", "/api/catalog-items");
  assert.equal(r.status, 429, JSON.stringify(r.doc));
  await page.click("#tab-requests");
  await rowWith("requests", "faulted").filter({ hasText: "429" }).waitFor(wait);
  await shot("requests-1280x800", wide);
});

test("an item's price edited in the page reads back through the API", async () => {
  await page.click("#tab-catalog");
  const first = panel("catalog").locator("tbody tr:not(.empty)").first();
  const title = await first.locator("th").textContent();
  await first.getByRole("button", { name: `Edit ${title}` }).click();
  const dialog = page.getByRole("dialog");
  const id = await dialog.getByTestId("entity-id").textContent();
  await dialog.getByLabel("price", { exact: true }).fill("12.34");
  await dialog.getByRole("button", { name: "Save" }).click();
  await first.filter({ hasText: "12.34" }).waitFor(wait);
  const r = await apiCall("GET", `/api/catalog-items/${encodeURIComponent(id)}`);
  assert.equal(r.status, 200);
  assert.equal(r.doc.data.attributes.price, 12.34);
});

test("the page follows a dark system scheme", async () => {
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: "light" });
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(dark, light);
});

test("the README's screenshot, when asked for", { skip: process.env.UPDATE_SCREENSHOT !== "1" }, async () => {
  await page.setViewportSize(wide);
  await page.click("#tab-catalog");
  await page.evaluate(() => window.scrollTo(0, 0));
  const out = join(repo, "docs", "images", "page.png");
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  assert.ok(statSync(out).size <= 200 * 1024, `${out} is over 200 KB`);
});

test("no console error, and no request to another host", () => {
  const foreign = requests.filter((u) => {
    if (u.startsWith("data:")) return false;
    const host = new URL(u).hostname;
    return !(host === "localhost" || host === "[::1]" || host.startsWith("127."));
  });
  assert.deepEqual(foreign, []);
  assert.deepEqual(problems, []);
});
