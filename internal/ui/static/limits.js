// Rate limits: each bucket of the account (one per operation) with what is
// left of its burst (one second) and steady (one minute) windows, read
// again every tick; looking counts nothing.

import { control, accountPath } from "./api.js";
import { h, field } from "./dom.js";
import { Table } from "./table.js";

// createLimits is the rate limits view.
export function createLimits(ctx) {
  const only = h("input", { type: "search", placeholder: "operation contains…", autocomplete: "off", spellcheck: false,
    on: { input: () => show() } });
  const used = h("input", { type: "checkbox", id: "limits-used", on: { change: () => show() } });
  const info = h("p", { class: "muted" });
  const window = (name, w) => h("span", { class: "bar" },
    h("meter", { min: 0, max: w.limit, value: w.remaining, low: w.limit * 0.2, high: w.limit * 0.5, optimum: w.limit,
      attrs: { "aria-label": `${name}: ${w.remaining} of ${w.limit} left` } }),
    h("span", { text: `${w.remaining} / ${w.limit}` }));
  const table = new Table([
    { label: "operation", head: true, cls: "mono", value: (b) => b.operation },
    { label: "burst (1 s) left", sig: (b) => `${b.burst.remaining}/${b.burst.limit}`, render: (b) => window("burst", b.burst) },
    { label: "steady (60 s) left", sig: (b) => `${b.steady.remaining}/${b.steady.limit}`, render: (b) => window("steady", b.steady) },
    { label: "steady resets in", cls: "num", value: (b) => `${b.steady.reset} s` },
  ], { caption: "Rate-limit buckets of the account", empty: "No bucket matches." });
  let last = { buckets: [], rate_limits: "" };

  function show() {
    const q = only.value.trim();
    const list = last.buckets.filter((b) => (!q || b.operation.includes(q)) &&
      (!used.checked || b.burst.remaining < b.burst.limit || b.steady.remaining < b.steady.limit));
    table.set(list, (b) => b.operation);
    info.textContent = last.rate_limits === "off" ? "Rate limits are off (--rate-limits=off): every request is admitted." :
      `${list.length} of ${last.buckets.length} buckets shown. Throttled requests and faults are not counted.`;
  }

  async function load() {
    last = await control("GET", `${accountPath(ctx.account())}/limits`);
    show();
  }

  return {
    id: "limits", label: "Rate limits", show: load, tick: load,
    panel: h("div", { class: "view" }, h("div", { class: "filters" }, field("Operation", only),
      h("div", { class: "field check" }, used, h("label", { attrs: { for: used.id }, text: "Only buckets in use" }))),
    info, table.el),
  };
}
