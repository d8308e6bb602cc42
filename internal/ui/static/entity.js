// What the page shows of an entity, from the catalog's description of it
// (GET /__admin/catalog): which entities are the catalog, which attribute
// is its picture and which its title, and the columns of its rows.

import { h, time, value } from "./dom.js";

// catalogKinds are the entities a catalog view shows: those the API lists
// and updates.
export function catalogKinds(catalog) {
  return catalog.entities.filter((e) => e.operations.includes("list") && e.operations.includes("update"));
}

// imageAttr is the attribute holding an entity's picture: a URL the
// emulator may serve, a thumbnail by preference.
function imageAttr(e) {
  const urls = e.attributes.filter((a) => a.local && a.type === "string");
  return (urls.find((a) => a.name.includes("thumbnail")) || urls[0] || {}).name;
}

// titleAttr names an entity in a row: its first string a create requires
// and an update may change.
export function titleAttr(e) {
  const a = e.attributes.find((x) => x.type === "string" && x.create === "required" && x.update && !x.role);
  return a ? a.name : "id";
}

// entityColumns are the columns of an entity's rows: its picture, title,
// external id, numbers and flags, extra columns, when it changed, and the
// actions column last.
export function entityColumns(e, extra = [], actions = null) {
  const img = imageAttr(e);
  const title = titleAttr(e);
  const byRole = (r) => (e.attributes.find((a) => a.role === r) || {}).name;
  const ext = byRole("external_id");
  const updated = byRole("updated");
  const cols = [];
  if (img) {
    cols.push({ label: "Picture", cls: "img", sig: (d) => d.attributes[img] || "",
      render: (d) => d.attributes[img] ? h("img", { src: d.attributes[img], alt: "", width: 48, height: 48, loading: "lazy", decoding: "async" }) : "" });
  }
  cols.push({ label: title, head: true, value: (d) => value(d.attributes[title] ?? d.id) });
  if (ext) cols.push({ label: ext.replace(/_/g, " "), cls: "mono opt", value: (d) => d.attributes[ext] });
  for (const a of e.attributes) {
    if (["number", "integer", "boolean"].includes(a.type)) {
      cols.push({ label: a.name.replace(/_/g, " "), cls: a.type === "boolean" ? "" : "num", value: (d) => value(d.attributes[a.name]) });
    }
  }
  cols.push(...extra);
  if (updated) cols.push({ label: updated, cls: "time opt", value: (d) => time(d.attributes[updated]) });
  if (actions) cols.push(actions);
  return cols;
}
