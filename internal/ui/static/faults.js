// Fault rules: the rules in force (a scenario's among them, labelled), each
// removable, and a form that adds one: its effect (a status, latency or a
// dropped connection), how often (probability, count) and what it matches.

import { control } from "./api.js";
import { h, field, busy, value } from "./dom.js";
import { Table } from "./table.js";

const statuses = ["", "429", "500", "502", "503", "504"];
const methods = ["", "GET", "POST", "PATCH", "DELETE"];

// createFaults is the fault rules view.
export function createFaults(ctx) {
  const table = new Table([
    { label: "rule", head: true, cls: "mono", value: (r) => r.id },
    { label: "matches", cls: "mono", value: (r) => describeMatch(r.match) },
    { label: "effect", value: (r) => describeEffect(r) },
    { label: "probability", cls: "num", value: (r) => (r.probability ? String(r.probability) : "always") },
    { label: "count left", cls: "num", value: (r) => (r.count ? String(r.count) : "unlimited") },
    { label: "matched / hits", cls: "num", value: (r) => `${r.matched} / ${r.hits}` },
    { label: "scenario", value: (r) => r.scenario || "" },
    { label: "Actions", cls: "actions", render: (r) => h("button", { type: "button", text: "Remove", attrs: { "aria-label": `Remove rule ${r.id}` },
      on: { click: (ev) => busy(ev.currentTarget, async () => { await control("DELETE", `faults/${encodeURIComponent(r.id)}`); await load(); },
        `Rule ${r.id} is removed.`) } }) },
  ], { caption: "Fault rules, tried in order", empty: "No fault rules: every request is served." });

  const inputs = {
    status: h("select", {}, statuses.map((s) => h("option", { value: s, text: s || "none" }))),
    retry: h("input", { type: "number", min: 0, placeholder: "seconds" }),
    latency: h("input", { placeholder: "e.g. 250ms", autocomplete: "off", spellcheck: false }),
    drop: h("input", { type: "checkbox" }),
    probability: h("input", { type: "number", min: 0, max: 1, step: "any", placeholder: "0–1, empty: always" }),
    count: h("input", { type: "number", min: 0, placeholder: "empty: unlimited" }),
    method: h("select", {}, methods.map((m) => h("option", { value: m, text: m || "any" }))),
    path: h("input", { placeholder: "/api/catalog-items", autocomplete: "off", spellcheck: false }),
    revision: h("input", { placeholder: "any", autocomplete: "off", spellcheck: false }),
    mine: h("input", { type: "checkbox", checked: true }),
  };
  const form = h("form", { class: "filters fault-form", attrs: { "aria-label": "Add a fault rule" } },
    h("fieldset", {}, h("legend", { text: "Effect" }), field("Status", inputs.status), field("Retry-After", inputs.retry),
      field("Latency", inputs.latency), field("Drop the connection", inputs.drop, "field check")),
    h("fieldset", {}, h("legend", { text: "How often" }), field("Probability", inputs.probability), field("Count", inputs.count)),
    h("fieldset", {}, h("legend", { text: "Matches" }), field("Method", inputs.method), field("Path starts with", inputs.path),
      field("Revision", inputs.revision), field("This account only", inputs.mine, "field check")),
    h("div", { class: "buttons" }, h("button", { type: "submit", text: "Add the rule" }),
      h("button", { type: "button", class: "danger", text: "Remove every rule", on: { click: (ev) => busy(ev.currentTarget, async () => {
        await control("DELETE", "faults");
        await load();
      }, "Every fault rule is removed.") } })));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    busy(ev.submitter, async () => {
      const rule = await control("POST", "faults", ruleOf(inputs, ctx.account()));
      await load();
      return rule;
    }, (r) => `Rule ${r.id} is added: ${describeEffect(r)} for ${describeMatch(r.match)}.`);
  });

  async function load() {
    const doc = await control("GET", "faults");
    table.set(doc.faults || [], (r) => r.id);
  }

  return {
    id: "faults", label: "Faults", panel: h("div", { class: "view" }, table.el, h("h2", { text: "Add a fault rule" }), form),
    show: load, tick: load,
  };
}

function ruleOf(i, account) {
  const rule = { match: {} };
  if (i.status.value) rule.status = Number(i.status.value);
  if (i.retry.value) rule.retry_after = Number(i.retry.value);
  if (i.latency.value.trim()) rule.latency = i.latency.value.trim();
  if (i.drop.checked) rule.drop = true;
  if (i.probability.value) rule.probability = Number(i.probability.value);
  if (i.count.value) rule.count = Number(i.count.value);
  if (i.method.value) rule.match.method = i.method.value;
  if (i.path.value.trim()) rule.match.path = i.path.value.trim();
  if (i.revision.value.trim()) rule.match.revision = i.revision.value.trim();
  if (i.mine.checked) rule.match.account = account;
  return rule;
}

function describeMatch(m) {
  const parts = [m.method, m.path && `${m.path}…`, m.account && `account ${m.account}`, m.revision && `revision ${m.revision}`].filter(Boolean);
  return parts.length ? parts.join(" ") : "every API request";
}

function describeEffect(r) {
  const parts = [];
  if (r.status) parts.push(`${r.status}${r.retry_after ? ` (Retry-After ${r.retry_after})` : ""}`);
  if (r.latency) parts.push(`wait ${value(r.latency)}`);
  if (r.drop) parts.push("drop the connection");
  return parts.join(", ") || "nothing";
}
