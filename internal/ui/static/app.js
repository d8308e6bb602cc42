// The web page (/__admin/ui/): a small static app over the control API.
// It learns what the API serves from GET /__admin/catalog, knows accounts
// by their public keys, shows one view at a time and reads what may change
// every second (the clock, and the view in sight) while live updates are on.

import { control, api } from "./api.js";
import { h, fail, replace } from "./dom.js";
import { createCatalog } from "./catalog.js";
import { createControls } from "./controls.js";
import { Views } from "./views.js";

const tickMs = 1000;
const $ = (id) => document.getElementById(id);
const st = { account: "", ticks: 0, beats: 0 };

// ctx is what views share: the catalog's description, the account, and
// ways to move between views and refresh.
const ctx = {
  catalog: null,
  account: () => st.account,
  go: (id, opts) => views.select(id, opts, true),
  refresh: () => views.tick(),
  reload: () => openAccount(st.account, true),
  shown: () => writeHash(),
  // painted marks the first time a view shows data (performance mark
  // painted-<view>, at the frame after, and data-painted on <html>).
  painted(what) {
    if (ctx.painted[what]) return;
    ctx.painted[what] = true;
    requestAnimationFrame(() => setTimeout(() => {
      performance.mark(`painted-${what}`);
      document.documentElement.dataset.painted = what;
    }, 0));
  },
};

// The views; the catalog's module is loaded with the page, the others when
// first shown or once the first view has painted.
const views = new Views(ctx, [
  { id: "catalog", label: "Catalog", load: async () => createCatalog },
  { id: "jobs", label: "Jobs", load: async () => (await import("./jobs.js")).createJobs },
  { id: "requests", label: "Requests", load: async () => (await import("./journal.js")).createJournal },
  { id: "faults", label: "Faults", load: async () => (await import("./faults.js")).createFaults },
  { id: "limits", label: "Rate limits", load: async () => (await import("./limits.js")).createLimits },
  { id: "stock", label: "Back in stock", load: async () => (await import("./stock.js")).createStock },
]);

// publicKeyOf returns the public key of the account key reaches (the id
// of GET /api/accounts), so no whole key stays in the page or its address.
async function publicKeyOf(key) {
  if (/^[A-Za-z0-9]{6}$/.test(key)) return key;
  const doc = await api(key, "/api/accounts");
  return doc.data[0].id;
}

async function loadAccounts() {
  const doc = await control("GET", "accounts");
  const select = $("account-select");
  if (document.activeElement === select) return;
  const list = doc.accounts.map((a) => [a.public_key, `${a.public_key} (${a.account}${a.changed ? ", changed" : ""})`]);
  if (!list.some(([k]) => k === st.account)) list.unshift([st.account, st.account]);
  const same = select.options.length === list.length && list.every(([k, t], i) => select.options[i].value === k && select.options[i].text === t);
  if (!same) replace(select, list.map(([k, t]) => h("option", { value: k, text: t })));
  select.value = st.account;
}

// openAccount shows the account of public key key: every view forgets what
// it read of the last one (fresh: of everything, after a reset), and the
// one in sight reads again.
async function openAccount(key, fresh = false) {
  st.account = key;
  writeHash();
  await Promise.all([loadAccounts(), views.accountChanged(fresh)]);
  probeStock();
}

// probeStock shows the back-in-stock view only when the emulator keeps
// such collections.
async function probeStock() {
  const { readCollection, stockCollections } = await import("./stock.js");
  const found = await readCollection(st.account, stockCollections[0], 0).catch(() => null);
  views.hide("stock", !found);
}

function writeHash() {
  const p = new URLSearchParams({ account: st.account, view: views.current ? views.current.id : "catalog" });
  history.replaceState(null, "", `#${p}`);
}

async function tick(controls) {
  const started = performance.now();
  if ($("live").checked && document.visibilityState === "visible") {
    const work = [controls.tick(), views.tick()];
    if (++st.ticks % 5 === 0) work.push(loadAccounts());
    const failed = (await Promise.allSettled(work)).find((r) => r.status === "rejected");
    if (failed) fail(failed.reason);
  }
  // Each second counted, read or not (how a test sees that a paused page
  // let a second pass without reading).
  document.documentElement.dataset.ticks = String(++st.beats);
  setTimeout(() => tick(controls), Math.max(0, tickMs - (performance.now() - started)));
}

// narrow folds the controls (and the catalog's filters) away on a narrow
// screen, so the data comes first; wide screens always show them.
function narrow() {
  const q = matchMedia("(max-width: 700px)");
  const fold = () => { for (const d of document.querySelectorAll("details.fold")) d.open = !q.matches; };
  q.addEventListener("change", fold);
  fold();
}

function accountForm() {
  $("account-select").addEventListener("change", (ev) => openAccount(ev.target.value).catch(fail));
  $("account-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const input = $("account-key");
    const typed = input.value.trim();
    if (!typed) return;
    try {
      await openAccount(await publicKeyOf(typed));
      input.value = "";
    } catch (err) {
      fail(err);
    }
  });
}

async function boot() {
  const params = new URLSearchParams(location.hash.slice(1));
  const [catalog, accounts] = await Promise.all([control("GET", "catalog"), control("GET", "accounts")]);
  ctx.catalog = catalog;
  st.account = params.get("account") || (accounts.accounts[0] || {}).public_key;
  if (!st.account) st.account = await publicKeyOf((await control("GET", "")).example_key);
  views.render($("tabs"), $("main"));
  views.hide("stock", true);
  narrow();
  const controls = createControls(ctx, $("controls"));
  accountForm();
  await views.select(params.get("view") || "catalog");
  // What the first paint does not need waits for it.
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  loadAccounts().catch(fail);
  probeStock().catch(fail);
  views.preload().catch(fail);
  tick(controls);
}

boot().catch((err) => {
  replace($("main"), h("p", { class: "error", text: `The page could not start: ${err.message}` }));
  fail(err);
});
