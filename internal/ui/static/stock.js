// Back-in-stock subscriptions and the notifications they would send, where
// the emulator keeps them (/__admin/accounts/{key}/<collection>): the view
// exists only when such a collection answers. A collection is read whole,
// so the view asks for 100 at most (?limit=, and shows no more than 100
// whatever the answer holds).

import { control, accountPath, ControlError } from "./api.js";
import { h, value, replace } from "./dom.js";
import { Table } from "./table.js";

// collections are the back-in-stock collections the control API may keep.
export const stockCollections = ["back-in-stock-subscriptions", "back-in-stock-notifications"];
const most = 100;

// readCollection reads up to most objects of a collection (null: the
// emulator has no such collection).
export async function readCollection(key, name) {
  const path = `${accountPath(key)}/${name}`;
  let doc;
  try {
    doc = await control("GET", `${path}?limit=${most}`);
  } catch (err) {
    if (!(err instanceof ControlError)) throw err;
    if (err.status === 404) return null;
    if (err.status !== 400) throw err;
    doc = await control("GET", path); // no ?limit= on this collection
  }
  const list = Array.isArray(doc) ? doc : Array.isArray(doc[name]) ? doc[name] : Object.values(doc).find(Array.isArray) || [];
  return { total: list.length, shown: list.slice(0, most) };
}

// createStock is the back-in-stock view.
export function createStock(ctx) {
  const body = h("div");
  async function load() {
    const parts = [];
    for (const name of stockCollections) {
      const got = await readCollection(ctx.account(), name);
      if (!got) {
        parts.push(h("p", { class: "muted", text: `This emulator keeps no ${name.replace(/-/g, " ")}.` }));
        continue;
      }
      const keys = [...new Set(got.shown.flatMap((o) => Object.keys(o)))].slice(0, 8);
      const t = new Table(keys.map((k, i) => ({ label: k.replace(/_/g, " "), head: i === 0, value: (o) => value(o[k]) })),
        { caption: `${name.replace(/-/g, " ")} (${got.shown.length}${got.total > got.shown.length ? ` of ${got.total}` : ""})`, empty: "None." });
      t.set(got.shown, (o) => JSON.stringify(o));
      parts.push(t.el);
    }
    replace(body, parts);
  }
  return { id: "stock", label: "Back in stock", panel: h("div", { class: "view" }, body), show: load };
}
