/*
 * Hourglass candidate page: the answer controls of each question type (API.md, "Questions
 * of every common type") and the value each one holds. take.js does the rest.
 *
 *   single    native radios              response "B" (sent as {option})
 *   multiple  native checkboxes          response ["A", "C"], in option order
 *   numeric   <input type=number>        response 3.14
 *   text      <input type=text>          response "Paris"
 *   essay     <textarea> + a count       response "..."
 *   external  nothing: the platform that embeds the page collects this answer itself
 *
 * A value of null means "no answer" (the page clears it with DELETE). Every control is
 * native and labelled, so the keyboard and screen readers work as they do for radios.
 */
"use strict";

window.HourglassAnswers = (() => {
  const typeOf = (question) => question.type || "single";

  /** Builds an element; text always goes through textContent, so API data is never HTML. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else if (name === "dataset") Object.assign(node.dataset, value);
      else if (value !== undefined && value !== null) node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  }

  function choices(question, inputType, name) {
    return el(
      "div",
      { class: "options" },
      ...question.options.map((option, optionIndex) => {
        const id = `${name}-${optionIndex}`;
        return el(
          "div",
          { class: "option" },
          el("input", { type: inputType, id, name, value: option.key }),
          // The space keeps the accessible name "B 4", not "B4"; flex layout hides it.
          el(
            "label",
            { for: id },
            el("span", { class: "option__key", text: option.key }),
            " ",
            el("span", { text: option.text }),
          ),
        );
      }),
    );
  }

  function field(id, label, control, ...after) {
    return el("div", { class: "free-answer" }, el("label", { for: id, text: label }), control, ...after);
  }

  /** The controls answering `question`; `name` is unique on the page. */
  function controls(question, name) {
    const id = `${name}-answer`;
    const maxLength = question.max_length ? String(question.max_length) : undefined;
    switch (typeOf(question)) {
      case "multiple":
        return [el("p", { class: "help", text: "Choose every answer that applies." }), choices(question, "checkbox", name)];
      case "numeric":
        return [
          field(
            id,
            "Your answer (a number)",
            el("input", { type: "number", step: "any", id, inputmode: "decimal", autocomplete: "off", dataset: { kind: "numeric" } }),
          ),
        ];
      case "text":
        return [field(id, "Your answer", el("input", { type: "text", id, maxlength: maxLength, autocomplete: "off", spellcheck: "false", dataset: { kind: "text" } }))];
      case "essay": {
        const count = el("p", { class: "help char-count", id: `${id}-count`, "aria-live": "off" });
        const area = el("textarea", { id, rows: "8", maxlength: maxLength, "aria-describedby": `${id}-count`, dataset: { kind: "essay" } });
        const shown = field(id, "Your answer", area, count);
        updateCount(area);
        return [shown];
      }
      case "external":
        return [el("p", { class: "help external", text: "This question is answered in your exam platform, not on this page." })];
      default:
        return [choices(question, "radio", name)];
    }
  }

  /** "123 / 2000 characters" under an essay; characters as the server counts them. */
  function updateCount(area) {
    const node = area.parentElement && area.parentElement.querySelector(".char-count");
    const length = [...area.value].length;
    const max = area.getAttribute("maxlength");
    const text = max ? `${length} / ${max} characters` : `${length} characters`;
    if (node) node.textContent = text;
    return text;
  }

  /**
   * The value the question's controls hold after the candidate changed `input`:
   * {value} (null = no answer), or {invalid: message} for what cannot be sent.
   */
  function valueOf(question, fieldset, input) {
    switch (typeOf(question)) {
      case "multiple": {
        const keys = [...fieldset.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.value);
        return { value: keys.length ? keys : null };
      }
      case "numeric": {
        // A number input holds "" for text that is no number: badInput tells it from empty.
        if (input.validity.badInput) return { invalid: "type a number, e.g. 3.14" };
        if (!input.value.trim()) return { value: null };
        const value = Number(input.value);
        return Number.isFinite(value) ? { value } : { invalid: "type a number, e.g. 3.14" };
      }
      case "text":
      case "essay":
        if (input.tagName === "TEXTAREA") updateCount(input);
        return { value: input.value.trim() ? input.value : null };
      case "external":
        return { invalid: "answered in your exam platform" };
      default:
        return { value: input.checked ? input.value : null };
    }
  }

  /** Put `value` (as saved, or kept on this device) back into the question's controls. */
  function show(question, fieldset, value) {
    switch (typeOf(question)) {
      case "multiple": {
        const keys = new Set(Array.isArray(value) ? value : []);
        for (const box of fieldset.querySelectorAll("input[type=checkbox]")) box.checked = keys.has(box.value);
        return;
      }
      case "numeric":
      case "text":
      case "essay": {
        const input = fieldset.querySelector("[data-kind]");
        if (!input) return;
        const text = value === null || value === undefined ? "" : String(value);
        // Never overwrite what the candidate is typing right now.
        if (document.activeElement !== input) input.value = text;
        if (input.tagName === "TEXTAREA") updateCount(input);
        return;
      }
      case "external":
        return;
      default:
        for (const radio of fieldset.querySelectorAll("input[type=radio]")) radio.checked = radio.value === value;
    }
  }

  /** The PUT body: single choice keeps API v1's {option}; the other types send {response}. */
  const body = (question, value) => (typeOf(question) === "single" ? { option: value } : { response: value });

  /** An answer for people: "B", "A, C", "3.14", or the first words of a text. */
  function describe(value) {
    if (Array.isArray(value)) return value.join(", ");
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  }

  const isAnswered = (value) => value !== undefined && value !== null && !(Array.isArray(value) && !value.length);
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const answerable = (question) => typeOf(question) !== "external";

  return { controls, valueOf, show, body, describe, isAnswered, same, answerable, typeOf, updateCount };
})();
