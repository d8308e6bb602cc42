// Table: a data table whose rows are keyed, so a live update changes only
// the cells whose content changed, keeps the rows the reader opened, and
// never moves focus.

import { h } from "./dom.js";

// A column: label; value(item) for a text cell, or render(item, row) for a
// cell built of elements, rebuilt only when sig(item) changes (render
// alone: built once per row); cls sets the cells' class.
export class Table {
  constructor(columns, { caption, empty = "Nothing to show." } = {}) {
    this.columns = columns;
    this.rows = new Map();
    this.tbody = h("tbody");
    this.emptyRow = h("tr", { class: "empty" }, h("td", { attrs: { colspan: columns.length }, text: empty }));
    this.caption = h("caption", { text: caption || "" });
    this.table = h("table", {},
      this.caption,
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { attrs: { scope: "col" }, class: c.cls, text: c.label })))),
      this.tbody);
    this.el = h("div", { class: "scroll" }, this.table);
    this.tbody.append(this.emptyRow);
  }

  // set shows exactly items, in order, keyed by key(item).
  set(items, key) {
    const keep = new Set();
    let at = this.tbody.firstChild === this.emptyRow ? this.emptyRow.nextSibling : this.tbody.firstChild;
    for (const item of items) {
      const k = key(item);
      keep.add(k);
      const row = this.row(k, item);
      const detail = row.detail;
      if (at !== row) this.tbody.insertBefore(row, at);
      at = row.nextSibling;
      if (detail) {
        if (at !== detail) this.tbody.insertBefore(detail, at);
        at = detail.nextSibling;
      }
    }
    for (const [k, row] of this.rows) if (!keep.has(k)) this.drop(k, row);
    this.emptyRow.hidden = items.length > 0;
  }

  // append adds items after the rows shown (and updates rows shown).
  append(items, key) {
    for (const item of items) {
      const row = this.row(key(item), item);
      if (!row.isConnected) this.tbody.append(row);
    }
    this.emptyRow.hidden = this.rows.size > 0;
  }

  // dropFirst removes the n first rows (and their details).
  dropFirst(n) {
    for (const [k, row] of this.rows) {
      if (n-- <= 0) break;
      this.drop(k, row);
    }
    this.emptyRow.hidden = this.rows.size > 0;
  }

  clear() { this.set([], () => ""); }

  // update shows item in the row of key k, in place.
  update(k, item) {
    if (this.rows.has(k)) this.row(k, item);
  }

  drop(k, row) {
    if (row.detail) row.detail.remove();
    row.remove();
    this.rows.delete(k);
  }

  row(k, item) {
    let row = this.rows.get(k);
    if (!row) {
      row = h("tr");
      row.cells_ = this.columns.map((c) => h(c.head ? "th" : "td", { class: c.cls, attrs: c.head ? { scope: "row" } : {} }));
      row.append(...row.cells_);
      row.sigs = [];
      this.rows.set(k, row);
    }
    row.item = item;
    this.columns.forEach((c, i) => {
      const cell = row.cells_[i];
      if (c.value) {
        const t = c.value(item);
        if (cell.textContent !== t) cell.textContent = t;
        return;
      }
      const sig = c.sig ? c.sig(item) : "";
      if (row.sigs[i] === sig && cell.firstChild) return;
      row.sigs[i] = sig;
      cell.replaceChildren(c.render(item, row) || "");
    });
    return row;
  }

  // toggle opens or closes a detail row under row, built by build(item),
  // and says so on the button that asked.
  toggle(row, button, build) {
    if (row.detail) {
      row.detail.remove();
      row.detail = null;
      button.setAttribute("aria-expanded", "false");
      return;
    }
    const cell = h("td", { attrs: { colspan: this.columns.length } });
    row.detail = h("tr", { class: "detail" }, cell);
    row.after(row.detail);
    button.setAttribute("aria-expanded", "true");
    Promise.resolve(build(row.item, cell)).then((node) => { if (node) cell.append(node); });
  }
}
