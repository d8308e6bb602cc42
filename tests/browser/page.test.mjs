// The web page (/__admin/ui/) in a real browser, step by step as a person
// uses it, against an emulator scripts/browser-test started with a frozen
// clock: each step acts in the page and checks the result through the API
// or the control API (or acts through the API and checks the page).
// The steps share one page and run in order.
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
import { base, launch, loopback, App, control, serveDir } from "./harness.mjs";

const artifacts = process.env.ARTIFACTS || join(process.cwd(), "artifacts");
const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const wait = { timeout: 10_000 };
const wide = { width: 1280, height: 800 };
const narrow = { width: 390, height: 844 };

let browser, page, app, publicKey, seededPrice, variantId;
const requests = [];
const problems = [];

// watch records what a page asks for and every error it reports.
function watch(p, name) {
  p.on("request", (r) => requests.push(r.url()));
  p.on("pageerror", (e) => problems.push(`${name}: page error: ${e.message}`));
  p.on("console", (m) => { if (m.type() === "error") problems.push(`${name}: console error: ${m.text()} at ${m.location().url}`); });
}

before(async () => {
  assert.ok(base, "MOCKSERVER_URL is not set (run scripts/browser-test)");
  mkdirSync(artifacts, { recursive: true });
  const index = await control("GET", "");
  app = new App(index.example_key, (await control("GET", "catalog")).revision);
  publicKey = (await app.call("GET", "/api/accounts")).doc.data[0].id;
  browser = await launch();
  page = await browser.newPage({ viewport: wide, colorScheme: "light" });
  watch(page, "page");
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

const panel = (id) => page.locator(`#panel-${id}`);
const rows = (id) => panel(id).locator("tbody tr:not(.empty):not(.detail)");
const rowWith = (id, text) => panel(id).locator("tbody tr", { hasText: text });
const tab = (id) => page.locator(`#tab-${id}`);
const firstItemRow = () => rows("catalog").first();

test("the page opens on the seeded catalog, its pictures loaded, the account named by its public key", async () => {
  await page.goto(`${base}/__admin/ui/`);
  await page.waitForSelector("html[data-painted]", wait);
  assert.ok(await rows("catalog").count() >= 10, "fewer than 10 items shown");
  await page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll("#panel-catalog td.img img")].slice(0, 5);
    return imgs.length === 5 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, null, wait);
  await page.locator(`#account-select option[value="${publicKey}"]`).waitFor({ state: "attached", ...wait });
  const url = page.url();
  assert.ok(url.includes(`account=${publicKey}`), url);
  assert.ok(!url.includes(app.key) && !(await page.content()).includes(app.key), "the whole key is in the page");
  seededPrice = (await app.call("GET", `/api/catalog-items/${encodeURIComponent(await itemId(firstItemRow()))}`)).doc.data.attributes.price;
  await shot("catalog-1280x800", wide);
});

// itemId opens an entity's editor from its row to read its id, and closes it.
async function itemId(row) {
  await row.getByRole("button", { name: /^Edit / }).click();
  const id = await page.getByRole("dialog").getByTestId("entity-id").textContent();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  return id;
}

test("every control has an accessible name, and the views are tabs the keyboard moves between", async () => {
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
  const unreachable = await page.evaluate(() => [...document.querySelectorAll("button, input, select, textarea, a[href]")]
    .filter((el) => el.offsetParent !== null && el.tabIndex < 0 && el.getAttribute("role") !== "tab")
    .map((el) => el.outerHTML.slice(0, 120)));
  assert.deepEqual(unreachable, []);
  await tab("catalog").focus();
  await page.keyboard.press("ArrowRight");
  assert.equal(await tab("jobs").getAttribute("aria-selected"), "true");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tab-jobs");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await tab("catalog").getAttribute("aria-selected"), "true");
});

test("the catalog pages with the API's cursors, filters with its filters, and shows variants with their inventory", async () => {
  const firstTitle = await firstItemRow().locator("th").textContent();
  await panel("catalog").getByRole("button", { name: "Next page" }).click();
  await panel("catalog").getByText(/^Page 2:/).waitFor(wait);
  assert.notEqual(await firstItemRow().locator("th").textContent(), firstTitle);
  await panel("catalog").getByRole("button", { name: "First page" }).click();
  await panel("catalog").getByText(/^Page 1:/).waitFor(wait);
  const word = firstTitle.split(" ")[0];
  await panel("catalog").getByLabel("title (contains)").fill(word);
  await panel("catalog").getByRole("button", { name: "Apply filters" }).click();
  await page.waitForFunction((w) => {
    const heads = [...document.querySelectorAll("#panel-catalog tbody tr:not(.empty):not(.detail) th")];
    return heads.length > 0 && heads.every((th) => th.textContent.includes(w));
  }, word, wait);
  await panel("catalog").getByRole("button", { name: "Clear filters" }).click();
  await panel("catalog").getByRole("radio", { name: "variants" }).check();
  await panel("catalog").locator("thead th", { hasText: "inventory quantity" }).waitFor(wait);
  await rows("catalog").first().waitFor(wait);
  variantId = await itemId(rows("catalog").first());
  await panel("catalog").getByRole("radio", { name: "items" }).check();
  await panel("catalog").locator("thead th", { hasText: "variants" }).waitFor(wait);
});

test("a job created through the API appears, and advancing the clock from the page completes it", async () => {
  const created = await app.call("POST", "/api/catalog-item-bulk-create-jobs", { data: { type: "catalog-item-bulk-create-job", attributes: { items: { data: [
    { type: "catalog-item", attributes: { external_id: "BROWSER-1", title: "From the browser test", description: "d", url: "https://example.com/b1" } }] } } } });
  assert.equal(created.status, 202, JSON.stringify(created.doc));
  const id = created.doc.data.id;
  await tab("jobs").click();
  assert.equal(await panel("jobs").getByLabel("Kind").locator("option").count(), 9);
  await rowWith("jobs", id).filter({ hasText: "queued" }).waitFor(wait);
  await page.getByLabel("Advance by").fill("90s");
  await page.getByRole("button", { name: "Advance", exact: true }).click();
  await rowWith("jobs", id).filter({ hasText: "complete" }).waitFor(wait);
  await panel("jobs").getByRole("button", { name: `Details of job ${id}` }).click();
  await panel("jobs").locator("tr.detail", { hasText: "From the browser test" }).waitFor(wait);
  await shot("jobs-1280x800", wide);
});

test("Complete running jobs in the page completes a job the frozen clock holds", async () => {
  const created = await app.call("POST", "/api/catalog-item-bulk-create-jobs", { data: { type: "catalog-item-bulk-create-job", attributes: { items: { data: [
    { type: "catalog-item", attributes: { external_id: "BROWSER-2", title: "Completed from the page", description: "d", url: "https://example.com/b2" } }] } } } });
  assert.equal(created.status, 202, JSON.stringify(created.doc));
  const id = created.doc.data.id;
  await rowWith("jobs", id).filter({ hasText: "queued" }).waitFor(wait);
  await page.getByRole("button", { name: "Complete running jobs" }).click();
  await rowWith("jobs", id).filter({ hasText: "complete" }).waitFor(wait);
  assert.equal((await app.call("GET", `/api/catalog-item-bulk-create-jobs/${id}`)).doc.data.attributes.status, "complete");
});

test("a 429 fault rule added in the page fails the next API call, which the journal shows as faulted and opens to its answer", async () => {
  await tab("faults").click();
  const form = page.getByRole("form", { name: "Add a fault rule" });
  await form.getByLabel("Status", { exact: true }).selectOption("429");
  await form.getByLabel("Count", { exact: true }).fill("1");
  await form.getByRole("button", { name: "Add the rule" }).click();
  await rowWith("faults", "429").waitFor(wait);
  const r = await app.call("GET", "/api/catalog-items");
  assert.equal(r.status, 429, JSON.stringify(r.doc));
  await tab("requests").click();
  const row = rowWith("requests", "faulted").filter({ hasText: "429" }).last();
  await row.waitFor(wait);
  await row.getByRole("button", { name: /^Open request / }).click();
  const detail = panel("requests").locator("tr.detail").last();
  await detail.getByText("Answer 429").waitFor(wait);
  await detail.getByText("Klaviyo-API-Key [redacted]").waitFor(wait);
  await detail.getByText("X-Klaviyo-Req-Id").first().waitFor(wait);
  await shot("requests-1280x800", wide);
});

test("Throttle in the page answers the account's next request 429, and the one after is served", async () => {
  await page.getByLabel("Requests to throttle").fill("1");
  await page.getByRole("button", { name: "Throttle", exact: true }).click();
  await page.locator("#status", { hasText: "get a 429" }).waitFor(wait);
  assert.equal((await app.call("GET", "/api/catalog-items")).status, 429);
  assert.equal((await app.call("GET", "/api/catalog-items")).status, 200);
});

test("a scenario turned on in the page is shown with its rules, answers the API, and turns off again", async () => {
  const button = page.getByRole("button", { name: "rate-limited", exact: true });
  await button.click();
  await page.waitForFunction(() => document.querySelector('button[data-name="rate-limited"]').getAttribute("aria-pressed") === "true", null, wait);
  await tab("faults").click();
  await rowWith("faults", "rate-limited").waitFor(wait);
  assert.equal((await app.call("GET", "/api/catalog-items")).status, 429);
  await button.click();
  await page.waitForFunction(() => document.querySelector('button[data-name="rate-limited"]').getAttribute("aria-pressed") === "false", null, wait);
  await rowWith("faults", "rate-limited").waitFor({ state: "detached", ...wait });
  assert.equal((await app.call("GET", "/api/catalog-items")).status, 200);
});

test("the rate limits view shows what is left of each bucket's windows, as the control API tells it", async () => {
  await tab("limits").click();
  const { buckets } = await control("GET", `accounts/${publicKey}/limits`);
  const b = buckets.find((x) => x.operation === "get_catalog_items");
  assert.ok(b.steady.remaining < b.steady.limit, JSON.stringify(b));
  const row = rowWith("limits", "get_catalog_items").first();
  await row.getByText(`${b.steady.remaining} / ${b.steady.limit}`).waitFor(wait);
  await row.getByText(`${b.burst.remaining} / ${b.burst.limit}`).waitFor(wait);
});

test("an item's price edited in the page reads back through the API", async () => {
  await tab("catalog").click();
  const first = firstItemRow();
  const title = await first.locator("th").textContent();
  await first.getByRole("button", { name: `Edit ${title}` }).click();
  const dialog = page.getByRole("dialog");
  const id = await dialog.getByTestId("entity-id").textContent();
  await dialog.getByLabel("price", { exact: true }).fill("12.34");
  await dialog.getByRole("button", { name: "Save" }).click();
  await first.filter({ hasText: "12.34" }).waitFor(wait);
  const r = await app.call("GET", `/api/catalog-items/${encodeURIComponent(id)}`);
  assert.equal(r.status, 200);
  assert.equal(r.doc.data.attributes.price, 12.34);
});

test("the storefront example subscribes from another origin; the page shows the subscription, and the notification once the page restocks the variant", async () => {
  const zero = await app.call("PATCH", `/api/catalog-variants/${encodeURIComponent(variantId)}`,
    { data: { type: "catalog-variant", id: variantId, attributes: { inventory_quantity: 0 } } });
  assert.equal(zero.status, 200, JSON.stringify(zero.doc));
  const shop = await serveDir(join(repo, "examples", "storefront"));
  const email = "shopper@example.com";
  try {
    const sf = await browser.newPage({ viewport: wide });
    watch(sf, "storefront");
    await sf.goto(`${shop.origin}/?${new URLSearchParams({ base, company_id: publicKey, variant: variantId })}`);
    await sf.getByRole("textbox", { name: "Email" }).fill(email);
    await sf.getByRole("button", { name: "Notify me when it is back" }).click();
    await sf.locator("#result.ok", { hasText: "202" }).waitFor(wait);
    await sf.close();
  } finally {
    await shop.close();
  }
  const seen = (await control("GET", "requests?path=/client/back-in-stock-subscriptions")).requests;
  assert.ok(seen.some((e) => e.method === "OPTIONS" && e.status < 300 && e.headers.Origin?.[0] === shop.origin), "no preflight from the storefront's origin");
  assert.ok(seen.some((e) => e.method === "POST" && e.status === 202), "no 202 POST");
  const subs = await control("GET", `accounts/${publicKey}/back-in-stock-subscriptions?email=${encodeURIComponent(email)}`);
  assert.equal(subs["back-in-stock-subscriptions"].length, 1);
  assert.equal(subs["back-in-stock-subscriptions"][0].variant, variantId);

  await tab("stock").click();
  await panel("stock").locator("table", { hasText: "back in stock subscriptions" }).locator("tr", { hasText: email }).waitFor(wait);

  await tab("catalog").click();
  await panel("catalog").getByRole("radio", { name: "variants" }).check();
  await panel("catalog").locator("thead th", { hasText: "inventory quantity" }).waitFor(wait);
  const row = rows("catalog").first();
  await row.getByRole("button", { name: /^Edit / }).click();
  const dialog = page.getByRole("dialog");
  assert.equal(await dialog.getByTestId("entity-id").textContent(), variantId);
  await dialog.getByLabel("inventory quantity", { exact: true }).fill("5");
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.waitFor({ state: "detached", ...wait });
  const v = await app.call("GET", `/api/catalog-variants/${encodeURIComponent(variantId)}`);
  assert.equal(v.doc.data.attributes.inventory_quantity, 5);
  await tab("stock").click();
  await panel("stock").locator("table", { hasText: "back in stock notifications" }).locator("tr", { hasText: email }).waitFor(wait);
  await shot("stock-1280x800", wide);
  await tab("catalog").click();
  await panel("catalog").getByRole("radio", { name: "items" }).check();
  await panel("catalog").locator("thead th", { hasText: "variants" }).waitFor(wait);
});

test("the journal appends below what the reader is looking at, without moving it", async () => {
  for (let i = 0; i < 25; i++) await app.call("GET", "/api/catalog-categories");
  await tab("requests").click();
  const box = panel("requests").locator(".journal");
  await page.waitForFunction(() => { const b = document.querySelector("#panel-requests .journal"); return b.scrollHeight > b.clientHeight + 100; }, null, wait);
  await box.evaluate((b) => { b.scrollTop = 0; });
  const before = await rows("requests").count();
  await app.call("GET", "/api/catalog-categories");
  await page.waitForFunction((n) => document.querySelectorAll("#panel-requests tbody tr:not(.empty):not(.detail)").length > n, before, wait);
  assert.equal(await box.evaluate((b) => b.scrollTop), 0);
  await panel("requests").getByRole("button", { name: "Show the newest" }).click();
  assert.ok(await box.evaluate((b) => b.scrollTop + b.clientHeight >= b.scrollHeight - 4));
});

test("with live updates paused the journal stays as it is, and catches up when they resume", async () => {
  // A second counted ends what the page was reading when it was paused.
  const beat = async (n) => page.waitForFunction((to) => Number(document.documentElement.dataset.ticks) >= to,
    n + await page.evaluate(() => Number(document.documentElement.dataset.ticks)), wait);
  await page.getByLabel("Live updates").uncheck();
  await beat(1);
  const before = await rows("requests").count();
  await app.call("GET", "/api/catalog-categories");
  await beat(2);
  assert.equal(await rows("requests").count(), before, "the journal changed while paused");
  await page.getByLabel("Live updates").check();
  await page.waitForFunction((n) => document.querySelectorAll("#panel-requests tbody tr:not(.empty):not(.detail)").length > n, before, wait);
});

test("a key typed in the page opens its account, named by its public key", async () => {
  await page.getByLabel("Open a key or public key").fill("pk_abababababababababababababababab12");
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.waitForFunction((pk) => !location.hash.includes(pk), publicKey, wait);
  const other = new URLSearchParams(new URL(page.url()).hash.slice(1)).get("account");
  assert.match(other, /^[A-Za-z0-9]{6}$/);
  assert.ok(!page.url().includes("pk_abab"));
  await page.getByLabel("Open a key or public key").fill(publicKey);
  await page.keyboard.press("Enter");
  await page.waitForFunction((pk) => location.hash.includes(`account=${pk}`) && document.getElementById("account-select").value === pk, publicKey, wait);
});

test("resetting the account asks first: dismissed, nothing changes; confirmed, the seeded price is back", async () => {
  await tab("catalog").click();
  page.once("dialog", (d) => d.dismiss());
  await page.getByRole("button", { name: "Reset account…" }).click();
  const id = await itemId(firstItemRow());
  assert.equal((await app.call("GET", `/api/catalog-items/${encodeURIComponent(id)}`)).doc.data.attributes.price, 12.34);
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Reset account…" }).click();
  await page.locator("#status", { hasText: "seeded state" }).waitFor(wait);
  assert.equal((await app.call("GET", `/api/catalog-items/${encodeURIComponent(id)}`)).doc.data.attributes.price, seededPrice);
  await firstItemRow().filter({ hasText: String(seededPrice) }).waitFor(wait);
});

test("resetting everything, once confirmed, removes every fault rule and empties the journal", async () => {
  await control("POST", "faults", { status: 503, match: { path: "/api/never" } });
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Reset everything…" }).click();
  await page.locator("#status", { hasText: "back to the start" }).waitFor(wait);
  assert.deepEqual((await control("GET", "faults")).faults, []);
  assert.deepEqual((await control("GET", "requests?path=/api/")).requests, []);
  await rows("catalog").first().waitFor(wait);
});

test("the page reads at 390×844 without scrolling sideways, and follows a dark system scheme", async () => {
  await page.setViewportSize(narrow);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "the page is wider than 390 px");
  await tab("catalog").waitFor(wait);
  await shot("catalog-390x844", narrow);
  await page.setViewportSize(wide);
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: "light" });
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(dark, light);
});

test("the README's screenshot, when asked for", { skip: process.env.UPDATE_SCREENSHOT !== "1" }, async () => {
  await page.setViewportSize(wide);
  await tab("catalog").click();
  await page.waitForFunction(() => [...document.querySelectorAll("#panel-catalog td.img img")].every((i) => i.complete), null, wait);
  await page.emulateMedia({ reducedMotion: "reduce" }); // the toast goes at once
  await page.evaluate(() => { window.scrollTo(0, 0); document.getElementById("status").classList.remove("shown"); });
  const out = join(repo, "docs", "images", "page.png");
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  assert.ok(statSync(out).size <= 200 * 1024, `${out} is over 200 KB`);
});

test("no console error, no error shown, and no request to another host", async () => {
  assert.deepEqual(requests.filter((u) => !loopback(u)), []);
  assert.deepEqual(problems, []);
  assert.equal(await page.locator("#alert").textContent(), "");
});
