// Back-in-stock subscriptions and the notifications they would send, as
// the emulator keeps them (/__admin/accounts/{key}/<collection>): the view
// exists only when such a collection answers. A collection is answered
// whole unless asked otherwise, so the view asks for the first 100 and one
// more (?limit=), to say when there are more than it shows.

import { control, accountPath, ControlError } from "./api.js";
import { h, value, replace } from "./dom.js";
import { Table } from "./table.js";

// collections are the back-in-stock collections the control API may keep.
export const stockCollections = ["back-in-stock-subscriptions", "back-in-stock-notifications"];
const most = 100;
const columns = 8;

// readCollection reads up to n objects of a collection (null: the
// emulator has no such collection); more says whether it holds more.
export async function readCollection(key, name, n = most) {
  let doc;
  try {
    doc = await control("GET", `${accountPath(key)}/${name}?limit=${n + 1}`);
  } catch (err) {
    if (err instanceof ControlError && err.status === 404) return null;
    throw err;
  }
  const list = Array.isArray(doc[name]) ? doc[name] : [];
  return { shown: list.slice(0, n), more: list.length > n };
}

// createStock is the back-in-stock view; it reads both collections again
// every tick, and redraws only the rows that changed.
export function createStock(ctx) {
  const tables = new Map();
  const body = h("div");
  async function load() {
    const account = ctx.account();
    const got = await Promise.all(stockCollections.map((name) => readCollection(account, name)));
    if (account !== ctx.account()) return;
    const parts = stockCollections.map((name, i) => part(name, got[i]));
    if (parts.some((p, i) => p !== body.children[i])) replace(body, parts);
    ctx.painted("stock");
  }
  function part(name, got) {
    const words = name.replace(/-/g, " ");
    if (!got) return h("p", { class: "muted", text: `This emulator keeps no ${words}.` });
    const keys = [...new Set(got.shown.flatMap((o) => Object.keys(o)))].slice(0, columns);
    const sig = keys.join(" ");
    let t = tables.get(name);
    if (!t || t.sig !== sig) {
      t = new Table(keys.map((k, i) => ({ label: k.replace(/_/g, " "), head: i === 0, cls: i === 0 ? "mono" : "",
        value: (o) => value(o[k]) })), { caption: words, empty: `No ${words}.` });
      t.sig = sig;
      tables.set(name, t);
    }
    t.set(got.shown, (o) => o.id || JSON.stringify(o));
    t.caption.textContent = `${words} (${got.shown.length}${got.more ? `, the first ${most}` : ""})`;
    return t.el;
  }
  return {
    id: "stock", label: "Back in stock", panel: h("div", { class: "view" }, body), show: load, tick: load,
    accountChanged() { replace(body); },
  };
}
