// The editor: a dialog with the attributes an update may change (text,
// numbers, flags), which sends what changed as the API's own PATCH on the
// account's behalf, and answers with the entity as the API wrote it.

import { api, idPath } from "./api.js";
import { h, field, uid, announce } from "./dom.js";
import { titleAttr } from "./entity.js";

// editable are the attributes the editor shows.
function editable(e) {
  return e.attributes.filter((a) => a.update && !a.local && !a.role && ["string", "number", "integer", "boolean"].includes(a.type));
}

function control(a, v) {
  if (a.type === "boolean") return h("input", { type: "checkbox", name: a.name, checked: v === true });
  if (a.type === "string") {
    const long = typeof v === "string" && v.length > 60;
    return h(long ? "textarea" : "input", { name: a.name, value: v ?? "", rows: long ? 3 : undefined, spellcheck: false });
  }
  return h("input", { type: "number", name: a.name, step: a.type === "integer" ? "1" : "any", value: v ?? "",
    required: a.create === "required" });
}

function read(a, input) {
  if (a.type === "boolean") return input.checked;
  if (a.type === "string") return input.value;
  return input.value === "" ? null : Number(input.value);
}

// openEditor edits entity item of kind e; it resolves with the entity the
// update answered, or null when nothing was saved. Focus returns to opener.
export function openEditor(ctx, e, item, opener) {
  const attrs = editable(e);
  const titleId = uid("edit");
  const error = h("p", { class: "error", attrs: { role: "alert" } });
  const inputs = attrs.map((a) => [a, control(a, item.attributes[a.name])]);
  const save = h("button", { type: "submit", text: "Save" });
  const cancel = h("button", { type: "button", text: "Cancel" });
  const form = h("form", { class: "editor" },
    h("h2", { id: titleId, text: `Edit ${e.singular} ${item.attributes[titleAttr(e)] || item.id}` }),
    h("p", { class: "muted mono", text: item.id, attrs: { "data-testid": "entity-id" } }),
    inputs.map(([a, input]) => field(a.name.replace(/_/g, " "), input, a.type === "boolean" ? "field check" : "field")),
    error,
    h("div", { class: "buttons" }, save, cancel));
  const dialog = h("dialog", { attrs: { "aria-labelledby": titleId } }, form);
  document.body.append(dialog);

  return new Promise((resolve) => {
    let saved = null;
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(saved);
    });
    cancel.addEventListener("click", () => dialog.close());
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const changed = {};
      for (const [a, input] of inputs) {
        const v = read(a, input);
        if (v !== (item.attributes[a.name] ?? (a.type === "string" ? "" : null))) changed[a.name] = v;
      }
      if (Object.keys(changed).length === 0) {
        dialog.close();
        return;
      }
      save.disabled = true;
      error.textContent = "";
      try {
        const doc = await api(ctx.account(), `${e.path}/${idPath(item.id)}`, "PATCH",
          { data: { type: e.type, id: item.id, attributes: changed } });
        saved = doc.data;
        announce(`Saved ${e.singular} ${item.id}: ${Object.keys(changed).join(", ")}.`);
        dialog.close();
      } catch (err) {
        error.textContent = err.message;
        save.disabled = false;
      }
    });
    dialog.showModal();
  });
}
