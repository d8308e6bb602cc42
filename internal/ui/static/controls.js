// The controls always in view: the server clock (freeze, advance, set,
// back to real time), the account's actions (complete its running jobs,
// throttle its next requests, reset it) and resetting everything, and the
// scenario presets, each one click.

import { control, accountPath } from "./api.js";
import { h, field, time, busy, replace } from "./dom.js";

// createControls fills el with the controls.
export function createControls(ctx, el) {
  const st = { frozen: false, ticks: 0 };
  const now = h("output", { class: "clock mono", attrs: { "aria-live": "off" } });
  const freeze = h("button", { type: "button", text: "Freeze" });
  const by = h("input", { value: "90s", size: 6, autocomplete: "off", spellcheck: false, attrs: { pattern: "\\s*[0-9hmsuµn.]+\\s*" } });
  const advance = h("button", { type: "button", text: "Advance" });
  const at = h("input", { type: "datetime-local", step: 1 });
  const set = h("button", { type: "button", text: "Set" });
  const real = h("button", { type: "button", text: "Real time" });
  const clockWord = h("span", { class: "muted" });

  const clock = (body, done) => (ev) => busy(ev.currentTarget, async () => {
    show(await control("POST", "clock", body()));
    ctx.refresh();
  }, done);
  freeze.addEventListener("click", clock(() => ({ freeze: !st.frozen }), () => (st.frozen ? "The clock is frozen." : "The clock runs.")));
  advance.addEventListener("click", clock(() => ({ advance: by.value.trim() }), () => `The clock moved on by ${by.value.trim()}.`));
  set.addEventListener("click", clock(() => ({ set: new Date(`${at.value}Z`).toISOString() }), () => `The clock is set to ${at.value}Z.`));
  real.addEventListener("click", clock(() => ({ reset: true }), "The clock is back to real time."));

  function show(c) {
    st.frozen = c.frozen;
    now.value = time(c.now);
    now.textContent = time(c.now);
    clockWord.textContent = c.frozen ? "frozen" : "running";
    if (!at.value) at.value = new Date(c.now).toISOString().slice(0, 19);
    freeze.textContent = c.frozen ? "Unfreeze" : "Freeze";
    freeze.setAttribute("aria-label", c.frozen ? "Let the clock run" : "Freeze the clock");
  }

  const throttleN = h("input", { type: "number", min: 1, value: 3, size: 3 });
  const account = h("div", { class: "group", attrs: { role: "group", "aria-label": "This account" } },
    h("span", { class: "group-name", text: "Account" }),
    h("button", { type: "button", text: "Complete running jobs", on: { click: (ev) => busy(ev.currentTarget, async () => {
      const r = await control("POST", `${accountPath(ctx.account())}/jobs/complete`);
      ctx.refresh();
      return r;
    }, (r) => `${r.completed} running job${r.completed === 1 ? "" : "s"} completed.`) } }),
    field("Requests to throttle", throttleN, "field inline"),
    h("button", { type: "button", text: "Throttle",
      on: { click: (ev) => busy(ev.currentTarget, async () => {
        const r = await control("POST", `${accountPath(ctx.account())}/throttle`, { count: Number(throttleN.value) });
        ctx.refresh();
        return r;
      }, (r) => `The next ${r.count} requests of the account get a 429 (fault rule ${r.id}).`) } }),
    h("button", { type: "button", class: "danger", text: "Reset account…", on: { click: (ev) => {
      if (!confirm(`Reset the account ${ctx.account()} to its seeded state? Its changes, counters and fault rules go.`)) return;
      busy(ev.currentTarget, async () => { await control("POST", "reset", { account: ctx.account() }); ctx.reload(); }, "The account is back to its seeded state.");
    } } }),
    h("button", { type: "button", class: "danger", text: "Reset everything…", on: { click: (ev) => {
      if (!confirm("Reset the whole emulator? Every account, counter, fault rule, the journal and the clock go back to the start.")) return;
      busy(ev.currentTarget, async () => { await control("POST", "reset"); ctx.reload(); }, "Everything is back to the start.");
    } } }));

  const scenarios = h("div", { class: "group", attrs: { role: "group", "aria-label": "Scenarios" } });
  async function loadScenarios() {
    const doc = await control("GET", "scenarios");
    const list = doc.scenarios || [];
    const buttons = scenarios.querySelectorAll("button[data-name]");
    if (buttons.length === list.length) {
      list.forEach((s, i) => buttons[i].setAttribute("aria-pressed", String(s.active)));
      return;
    }
    replace(scenarios, h("span", { class: "group-name", text: "Scenarios" }), list.map((s) => {
      const b = h("button", { type: "button", class: "toggle", text: s.name, title: s.description,
        attrs: { "aria-pressed": String(s.active), "data-name": s.name } });
      b.addEventListener("click", () => busy(b, async () => {
        const on = b.getAttribute("aria-pressed") !== "true";
        await control(on ? "POST" : "DELETE", `scenarios/${encodeURIComponent(s.name)}`);
        b.setAttribute("aria-pressed", String(on));
        ctx.refresh();
        return on;
      }, (on) => `Scenario ${s.name} is ${on ? "on" : "off"}: ${s.description}`));
      return b;
    }));
  }

  replace(el,
    h("div", { class: "group", attrs: { role: "group", "aria-label": "Server clock" } },
      h("span", { class: "group-name", text: "Clock" }), now, clockWord, freeze,
      field("Advance by", by, "field inline"), advance, field("Set to (UTC)", at, "field inline"), set, real),
    account, scenarios);

  return {
    async tick() {
      const every = st.ticks++ % 3 === 0;
      const [c] = await Promise.all([control("GET", "clock"), every ? loadScenarios() : null]);
      show(c);
    },
  };
}
