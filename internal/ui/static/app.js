// The web page (/__admin/ui/): a small static app over the control API.
// It learns what the API serves from GET /__admin/catalog, knows accounts
// by their public keys, shows one view at a time and reads what may change
// every second (the clock, and the view in sight) while live updates are on.

import { control, api } from "./api.js";
import { h, fail, replace } from "./dom.js";
import { createCatalog } from "./catalog.js";
import { createJobs } from "./jobs.js";
import { createJournal } from "./journal.js";
import { createControls } from "./controls.js";
import { createFaults } from "./faults.js";
import { createLimits } from "./limits.js";
import { createStock, readCollection, stockCollections } from "./stock.js";

const tickMs = 1000;
const $ = (id) => document.getElementById(id);

const st = { account: "", view: null, views: [], ticks: 0 };

// ctx is what views share: the catalog's description, the account, and
// ways to move between views and refresh.
const ctx = {
  catalog: null,
  account: () => st.account,
  go: (id, opts) => select(id, opts, true),
  refresh: () => { if (st.view && st.view.tick) st.view.tick(); },
  reload: () => openAccount(st.account, true),
  painted(what) {
    if (!ctx.painted[what]) {
      ctx.painted[what] = true;
      performance.mark(`painted-${what}`);
      document.documentElement.dataset.painted = what;
    }
  },
};

// publicKeyOf returns the public key of the account key reaches (the id
// of GET /api/accounts), so no whole key stays in the page or its address.
async function publicKeyOf(key) {
  if (/^[A-Za-z0-9]{6}$/.test(key)) return key;
  const doc = await api(key, "/api/accounts");
  return doc.data[0].id;
}

async function loadAccounts(selected) {
  const doc = await control("GET", "accounts");
  const select = $("account-select");
  if (document.activeElement === select) return doc.accounts;
  const list = doc.accounts.map((a) => [a.public_key, `${a.public_key} (${a.account}${a.changed ? ", changed" : ""})`]);
  if (selected && !list.some(([k]) => k === selected)) list.unshift([selected, selected]);
  const same = select.options.length === list.length && list.every(([k, t], i) => select.options[i].value === k && select.options[i].text === t);
  if (!same) replace(select, list.map(([k, t]) => h("option", { value: k, text: t })));
  select.value = selected || st.account;
  return doc.accounts;
}

// openAccount shows the account of public key key: every view forgets what
// it read of the last one (fresh: of everything, after a reset), and the
// one in sight reads again.
async function openAccount(key, fresh = false) {
  st.account = key;
  writeHash();
  for (const v of st.views) if (v.accountChanged) v.accountChanged(fresh);
  await Promise.all([loadAccounts(key), st.view.show && st.view.show()]);
  probeStock();
}

// probeStock shows the back-in-stock view only when the emulator keeps
// such collections.
async function probeStock() {
  const found = await readCollection(st.account, stockCollections[0]).catch(() => null);
  $("tab-stock").hidden = !found;
}

function writeHash() {
  const p = new URLSearchParams({ account: st.account, view: st.view ? st.view.id : "catalog" });
  history.replaceState(null, "", `#${p}`);
}

function select(id, opts, focus) {
  const v = st.views.find((x) => x.id === id) || st.views[0];
  for (const x of st.views) {
    const on = x === v;
    const tab = $(`tab-${x.id}`);
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    x.panel.hidden = !on;
    if (!on && x === st.view && x.hide) x.hide();
  }
  st.view = v;
  writeHash();
  if (focus) $(`tab-${v.id}`).focus();
  return Promise.resolve(v.show && v.show(opts)).catch(fail);
}

function tabs() {
  const list = $("tabs");
  replace(list, st.views.map((v) => h("button", { type: "button", id: `tab-${v.id}`, text: v.label,
    attrs: { role: "tab", "aria-controls": `panel-${v.id}`, "aria-selected": "false" }, tabIndex: -1,
    on: { click: () => select(v.id) } })));
  list.addEventListener("keydown", (ev) => {
    const shown = st.views.filter((v) => !$(`tab-${v.id}`).hidden);
    const i = shown.indexOf(st.view);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: shown.length - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    select(shown[(to + shown.length) % shown.length].id, undefined, true);
  });
  const main = replace($("main"));
  for (const v of st.views) {
    v.panel.id = `panel-${v.id}`;
    v.panel.setAttribute("role", "tabpanel");
    v.panel.setAttribute("aria-labelledby", `tab-${v.id}`);
    v.panel.hidden = true;
    main.append(v.panel);
  }
  $("tab-stock").hidden = true;
}

async function tick(controls) {
  const started = performance.now();
  if ($("live").checked && document.visibilityState === "visible") {
    const work = [controls.tick(), st.view && st.view.tick ? st.view.tick() : null];
    if (++st.ticks % 5 === 0) work.push(loadAccounts());
    const failed = (await Promise.allSettled(work)).find((r) => r.status === "rejected");
    if (failed) fail(failed.reason);
  }
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

async function boot() {
  const params = new URLSearchParams(location.hash.slice(1));
  const [catalog, accounts] = await Promise.all([control("GET", "catalog"), control("GET", "accounts")]);
  ctx.catalog = catalog;
  let key = params.get("account") || (accounts.accounts[0] || {}).public_key;
  if (!key) key = await publicKeyOf((await control("GET", "")).example_key);
  st.account = key;
  st.views = [createCatalog(ctx), createJobs(ctx), createJournal(ctx), createFaults(ctx), createLimits(ctx), createStock(ctx)];
  tabs();
  narrow();
  const controls = createControls(ctx, $("controls"));
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
  await select(params.get("view") || "catalog");
  loadAccounts(key).catch(fail);
  probeStock().catch(fail);
  tick(controls);
}

boot().catch((err) => {
  replace($("main"), h("p", { class: "error", text: `The page could not start: ${err.message}` }));
  fail(err);
});
