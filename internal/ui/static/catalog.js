// The catalog: one page at a time of each entity the API serves, with the
// API's own filters, sorts, page sizes and cursors, the entities a page
// includes (an item's variants), links to related entities through the
// related list's filter, and an editor for what an update may change.

import { api, condition, query } from "./api.js";
import { h, field, busy, replace, uid } from "./dom.js";
import { Table } from "./table.js";
import { openEditor } from "./edit.js";
import { catalogKinds, entityColumns, titleAttr } from "./entity.js";

const sizes = [10, 25, 50, 100];

// createCatalog is the catalog view.
export function createCatalog(ctx) {
  const kinds = catalogKinds(ctx.catalog);
  const byType = new Map(kinds.map((e) => [e.type, e]));
  const st = { kind: kinds[0], filters: {}, size: 25, sort: "", target: "", links: {}, page: 1 };
  const panel = h("div", { class: "view" });
  const picker = h("fieldset", { class: "segmented" }, h("legend", { text: "Collection" }),
    kinds.map((e) => {
      const id = uid("kind");
      const input = h("input", { type: "radio", name: "catalog-kind", id, value: e.type, checked: e === st.kind,
        on: { change: () => { st.kind = e; build(); load(); } } });
      return h("span", {}, input, h("label", { attrs: { for: id }, text: e.plural }));
    }));
  const form = h("form", { class: "filters", attrs: { "aria-label": "Filters" } });
  const tableBox = h("div");
  const pageInfo = h("span", { class: "muted", attrs: { "aria-live": "polite" } });
  const first = h("button", { type: "button", text: "First page", on: { click: () => load() } });
  const prev = h("button", { type: "button", text: "Previous page", on: { click: () => load(st.links.prev, st.page - 1) } });
  const next = h("button", { type: "button", text: "Next page", on: { click: () => load(st.links.next, st.page + 1) } });
  const pager = h("div", { class: "pager" }, first, prev, next, pageInfo);
  panel.append(h("div", { class: "toolbar" }, picker), h("details", { class: "fold", open: true }, h("summary", { text: "Filters" }), form),
    tableBox, pager);
  let table;

  function filterValues() {
    return (st.filters[st.kind.type] ||= {});
  }

  function build() {
    const e = st.kind;
    const values = filterValues();
    const controls = e.filters.map((f) => {
      const label = f.op === "equals" ? f.field : `${f.field} (${f.op})`;
      let input;
      if (f.value === "boolean") {
        input = h("select", { name: f.field }, ["", "true", "false"].map((v) => h("option", { value: v, text: v || "any", selected: values[f.field] === v })));
      } else {
        input = h("input", { name: f.field, value: values[f.field] || "", autocomplete: "off", spellcheck: false,
          placeholder: f.value === "string list" ? "one or more, comma-separated" : "" });
      }
      input.addEventListener("change", () => { values[f.field] = input.value; });
      return field(label, input);
    });
    const size = h("select", { name: "page-size", on: { change: () => { st.size = Number(size.value); } } },
      sizes.filter((n) => n <= (e.page_size || 100)).map((n) => h("option", { value: n, text: n, selected: n === st.size })));
    const sort = h("select", { name: "sort", on: { change: () => { st.sort = sort.value; } } },
      h("option", { value: "", text: "as listed" }),
      (e.sorts || []).map((s) => h("option", { value: s, selected: s === st.sort,
        text: s.startsWith("-") ? `${s.slice(1)}, descending` : `${s}, ascending` })));
    replace(form, controls, e.page_size ? field("Page size", size) : null, e.sorts ? field("Order", sort) : null,
      h("div", { class: "buttons" }, h("button", { type: "submit", text: "Apply filters" }),
        h("button", { type: "button", text: "Clear filters", on: { click: () => { st.filters[e.type] = {}; build(); load(); } } }),
        h("button", { type: "button", text: "Reload", on: { click: () => load(st.target, st.page) } })));
    table = new Table(columnsFor(e), { caption: `${e.plural} of the account`, empty: `No ${e.plural} match.` });
    replace(tableBox, table.el);
  }

  function columnsFor(e) {
    const extra = [];
    const inc = e.include && e.relations.find((r) => r.name === e.include);
    if (inc && byType.has(inc.target)) {
      extra.push({ label: inc.name, sig: (d) => String(related(d, inc.name).length), render: (d, row) => {
        const n = related(d, inc.name).length;
        const b = h("button", { type: "button", class: "link", text: `${n} ${n === 1 ? byType.get(inc.target).singular : inc.name}`, disabled: n === 0,
          attrs: { "aria-expanded": "false", "aria-label": `${inc.name} of ${d.attributes[titleAttr(e)] || d.id}` } });
        b.addEventListener("click", () => table.toggle(row, b, (item) => includedTable(byType.get(inc.target), row.included || [])));
        return b;
      } });
    }
    const links = e.relations.filter((r) => r.filter && byType.has(r.target));
    const actions = { label: "Actions", cls: "actions", render: (d, row) => h("div", { class: "buttons" },
      h("button", { type: "button", text: "Edit", attrs: { "aria-label": `Edit ${row.item.attributes[titleAttr(e)] || row.item.id}` },
        on: { click: (ev) => edit(e, row, table, ev.currentTarget) } }),
      links.map((r) => h("button", { type: "button", class: "link", text: r.name,
        attrs: { "aria-label": `${r.name} of ${row.item.attributes[titleAttr(e)] || row.item.id}` },
        on: { click: () => ctx.go("catalog", { kind: r.target, filter: { [r.filter]: row.item.id } }) } }))) };
    return entityColumns(e, extra, actions);
  }

  function related(d, name) {
    const rel = d.relationships && d.relationships[name];
    return rel && Array.isArray(rel.data) ? rel.data : [];
  }

  function includedTable(e, items) {
    const t = new Table(entityColumns(e, [], { label: "Actions", cls: "actions", render: (d, row) =>
      h("button", { type: "button", text: "Edit", attrs: { "aria-label": `Edit ${d.attributes[titleAttr(e)] || d.id}` },
        on: { click: (ev) => edit(e, row, t, ev.currentTarget) } }) }),
    { caption: e.plural });
    t.set(items, (x) => x.id);
    return t.el;
  }

  // edit opens the editor on a row's entity; what an update answers
  // replaces the row's attributes in place.
  function edit(e, row, t, opener) {
    openEditor(ctx, e, row.item, opener).then((saved) => {
      if (saved) t.update(saved.id, { ...row.item, attributes: saved.attributes });
    });
  }

  async function load(target, page = 1) {
    const e = st.kind;
    if (!target) {
      const values = filterValues();
      const filter = e.filters.map((f) => condition(f, values[f.field])).filter(Boolean).join(",");
      target = e.path + query([["filter", filter], ["sort", st.sort], ["page[size]", e.page_size ? st.size : ""],
        ["include", e.include || ""]]);
    }
    const doc = await busy(null, () => api(ctx.account(), target));
    if (!doc || e !== st.kind) return;
    st.target = target;
    st.page = page;
    st.links = doc.links || {};
    const included = new Map((doc.included || []).map((x) => [`${x.type} ${x.id}`, x]));
    const rows = doc.data;
    table.set(rows, (x) => x.id);
    for (const d of rows) {
      const row = table.rows.get(d.id);
      row.included = e.include ? related(d, e.include).map((r) => included.get(`${r.type} ${r.id}`)).filter(Boolean) : [];
    }
    prev.disabled = !st.links.prev;
    next.disabled = !st.links.next;
    first.disabled = page === 1 && !st.links.prev;
    pageInfo.textContent = `Page ${page}: ${rows.length} ${e.plural}${st.links.next ? "" : " (last page)"}`;
    ctx.painted("catalog");
  }

  form.addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  build();

  return {
    id: "catalog", label: "Catalog", panel,
    show(opts) {
      if (opts && opts.kind && byType.has(opts.kind)) {
        st.kind = byType.get(opts.kind);
        st.filters[st.kind.type] = { ...(opts.filter || {}) };
        for (const input of picker.querySelectorAll("input")) input.checked = input.value === st.kind.type;
        build();
        return load();
      }
      if (!st.target) return load();
      return undefined;
    },
    accountChanged() { st.target = ""; },
  };
}
