// Small DOM helpers. User-supplied text only ever goes in through text nodes (textContent),
// never through innerHTML, so names like "<script>…" show as text.

/** el('p', {className: 'x'}, 'text', childNode) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'className') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** Shows a message in a notice box: kind is info | success | warn | error. */
export function notice(node, kind, ...content) {
  node.className = `notice ${kind}`;
  node.replaceChildren();
  append(node, content);
  node.hidden = content.length === 0;
}

export function clearNotice(node) {
  node.replaceChildren();
  node.hidden = true;
}

/** The error slot of a field: the element its data-error-slot names, else the one with id `${input.id}-error`. */
function errorSlot(input) {
  return input && document.getElementById(input.dataset.errorSlot || `${input.id}-error`);
}

export function setFieldError(input, message) {
  if (!input) return;
  const slot = errorSlot(input);
  if (slot) slot.textContent = message || '';
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

export function clearFieldErrors(form) {
  for (const input of $$('[aria-invalid]', form)) input.removeAttribute('aria-invalid');
  for (const slot of $$('.field-error', form)) slot.textContent = '';
}

const FIELD_WORDS = {
  'customer.email': 'Email', 'customer.name': 'Name', 'customer.phone': 'Phone',
};

/**
 * Puts each violation next to its field (an input whose data-field or name matches the
 * violation's field); focuses the first. Returns the violations no field took, as sentences.
 */
export function showViolations(form, violations) {
  const left = [];
  let first = null;
  for (const v of violations) {
    const field = String(v.field || '');
    const input = fieldFor(form, field);
    if (input && errorSlot(input)) {
      const slot = errorSlot(input);
      // A slot shared by several inputs (a row of a table-like form) says which one is meant.
      const msg = input.dataset.label ? `${input.dataset.label}: ${sentence(v.message)}` : sentence(v.message);
      slot.textContent = slot.textContent ? `${slot.textContent} ${msg}` : msg;
      input.setAttribute('aria-invalid', 'true');
      if (!first || (input.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)) first = input;
    } else {
      left.push(`${FIELD_WORDS[field] || field}: ${sentence(v.message)}`);
    }
  }
  if (first) first.focus();
  return left;
}

/**
 * The input a violation's field names: by data-field, then name; failing that, the nearest
 * enclosing part that has one ('days[1].breaks[0].to' → 'days[1].breaks[0]' → 'days[1]' → 'days'),
 * so an error about a whole entry or list still lands next to it.
 */
function fieldFor(form, field) {
  let f = field;
  while (f) {
    const input = form.querySelector(`[data-field="${CSS.escape(f)}"]`) || form.querySelector(`[name="${CSS.escape(f)}"]`);
    if (input) return input;
    const cut = f.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    if (cut === f) return null;
    f = cut;
  }
  return null;
}

/** 'must not be blank' → 'Must not be blank.' */
export function sentence(s) {
  const t = String(s || '').trim();
  if (!t) return '';
  const c = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(c) ? c : `${c}.`;
}

/** Disables a button while a promise runs; returns the promise's value. */
export async function busy(button, label, fn) {
  const old = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (label) button.textContent = label;
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = old;
  }
}

export function option(value, label, selected = false) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  if (selected) o.selected = true;
  return o;
}

/**
 * Clears a field's error as soon as the field is fixed, not on the next submit: on every input
 * or change of a field marked invalid, `check(input)` (the page's own rule for it, '' when fine)
 * decides. Fields the page handles itself are left out with data-own-errors.
 */
export function clearErrorsOnFix(form, check) {
  const recheck = (ev) => {
    const input = ev.target;
    if (!input || input.getAttribute('aria-invalid') !== 'true' || input.hasAttribute('data-own-errors')) return;
    if (!check(input)) setFieldError(input, '');
  };
  form.addEventListener('input', recheck);
  form.addEventListener('change', recheck);
}
