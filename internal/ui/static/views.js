// The views as tabs (ARIA tabs: arrow keys, Home and End move between
// them). A view's module is loaded when it is first shown, or once the
// first view has painted, so the first paint waits only for its own.

import { h, replace } from "./dom.js";

// Views holds the tabs. defs: [{id, label, load}], load() resolving to
// the view's create(ctx), which returns {panel, show, hide?, tick?,
// accountChanged?}.
export class Views {
  constructor(ctx, defs) {
    this.ctx = ctx;
    this.slots = defs.map((d) => ({ ...d, view: null,
      panel: h("section", { id: `panel-${d.id}`, hidden: true, attrs: { role: "tabpanel", "aria-labelledby": `tab-${d.id}` } }),
      tab: h("button", { type: "button", id: `tab-${d.id}`, text: d.label, tabIndex: -1,
        attrs: { role: "tab", "aria-controls": `panel-${d.id}`, "aria-selected": "false" } }) }));
    this.current = null;
  }

  // render puts the tabs in tablist and the panels in main.
  render(tablist, main) {
    replace(tablist, this.slots.map((s) => s.tab));
    replace(main, this.slots.map((s) => s.panel));
    for (const s of this.slots) s.tab.addEventListener("click", () => this.select(s.id));
    tablist.addEventListener("keydown", (ev) => {
      const shown = this.slots.filter((s) => !s.tab.hidden);
      const i = shown.indexOf(this.current);
      const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: shown.length - 1 }[ev.key];
      if (to === undefined) return;
      ev.preventDefault();
      this.select(shown[(to + shown.length) % shown.length].id, undefined, true);
    });
  }

  async view(s) {
    if (!s.view) {
      const create = await s.load();
      if (!s.view) {
        s.view = create(this.ctx);
        s.panel.append(s.view.panel);
      }
    }
    return s.view;
  }

  // select shows the view id (the first when there is none), with opts
  // for its show; focus moves to its tab when asked.
  async select(id, opts, focus) {
    const s = this.slots.find((x) => x.id === id && !x.tab.hidden) || this.slots[0];
    const was = this.current;
    this.current = s;
    for (const x of this.slots) {
      const on = x === s;
      x.tab.setAttribute("aria-selected", String(on));
      x.tab.tabIndex = on ? 0 : -1;
      x.panel.hidden = !on;
    }
    if (was && was !== s && was.view && was.view.hide) was.view.hide();
    if (focus) s.tab.focus();
    this.ctx.shown(s.id);
    const v = await this.view(s);
    if (this.current === s && v.show) await v.show(opts);
  }

  // tick reads again what the view in sight shows.
  tick() {
    const v = this.current && this.current.view;
    return v && v.tick ? v.tick() : null;
  }

  // accountChanged tells every loaded view the account changed, then
  // shows the one in sight again.
  accountChanged(fresh) {
    for (const s of this.slots) if (s.view && s.view.accountChanged) s.view.accountChanged(fresh);
    const v = this.current && this.current.view;
    return v && v.show ? v.show() : null;
  }

  // hide shows or hides the tab of view id.
  hide(id, hidden) {
    this.slots.find((s) => s.id === id).tab.hidden = hidden;
  }

  // preload loads every view's module (after the first paint), and the
  // editor's.
  preload() {
    return Promise.all([...this.slots.map((s) => s.load()), import("./edit.js")]);
  }
}
