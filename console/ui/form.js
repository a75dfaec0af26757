// Forms whose every control has a label and a place for its error. A mutation's UserErrors land
// next to the field they name ("input.title", "patch.title" and "title" all find field "title");
// errors naming no field of the form go to the summary at its top. What the person typed is never
// cleared by an error, a lost connection or a new sign-in.

import { h, uid } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { ApiError, NetworkError, UserErrors } from '../lib/api.js';

const PREFIXES = /^(input|patch|variables)\./;

export class Form {
  /** onSubmit(values, form) runs with errors shown and the submit button busy. */
  constructor({ onSubmit = null, label = null, className = 'form' } = {}) {
    this.fields = new Map();
    this.targets = new Map();
    this.summary = h('div', { class: 'form-summary', role: 'alert', hidden: true, tabindex: '-1' });
    this.el = h('form', { class: className, novalidate: true, 'aria-label': label }, this.summary);
    this.onSubmit = onSubmit;
    this.el.addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.onSubmit) this.run(() => this.onSubmit(this.values(), this));
    });
  }

  add(...nodes) {
    this.el.append(...nodes.flat().filter(Boolean));
    return this;
  }

  field(name, options) {
    const field = new Field(name, options);
    this.fields.set(name, field);
    this.targets.set(name, field);
    return field;
  }

  /** Anything that can show an error (a media row's alt text, say) under an API field name. */
  addTarget(name, target) {
    this.targets.set(name, target);
  }

  get(name) {
    return this.fields.get(name);
  }

  values() {
    const values = {};
    for (const [name, field] of this.fields) values[name] = field.value;
    return values;
  }

  clearErrors() {
    for (const target of this.targets.values()) target.setError(null);
    this.summary.hidden = true;
    this.summary.replaceChildren();
  }

  /** Place UserErrors ({field, message}) next to their fields; the rest in the summary. */
  showErrors(errors) {
    this.clearErrors();
    const loose = [];
    let first = null;
    for (const error of errors) {
      const target = this.targetFor(error.field);
      if (target) {
        target.setError(error.message);
        first = first || target;
      } else {
        loose.push(error.message);
      }
    }
    if (loose.length) this.showSummary(loose);
    if (first) first.focus();
    else if (loose.length) this.summary.focus();
  }

  targetFor(field) {
    if (!field) return null;
    const candidates = [field, field.replace(PREFIXES, '')];
    const parts = field.replace(PREFIXES, '').split('.');
    for (let i = parts.length - 1; i > 0; i -= 1) candidates.push(parts.slice(0, i).join('.'));
    for (const name of candidates) if (this.targets.has(name)) return this.targets.get(name);
    return null;
  }

  showSummary(messages) {
    this.summary.replaceChildren(
      h('p', { class: 'form-summary-title' }, t('form.problems')),
      h('ul', {}, messages.map((m) => h('li', {}, m))),
    );
    this.summary.hidden = false;
  }

  busy(on) {
    for (const button of this.el.querySelectorAll('button')) {
      if (on) { button.dataset.wasDisabled = button.disabled ? '1' : ''; button.disabled = true; }
      else { button.disabled = button.dataset.wasDisabled === '1'; }
    }
    this.el.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  /** Run an action for this form: busy while it runs, its errors shown here. Returns its result or null. */
  async run(action) {
    this.clearErrors();
    this.busy(true);
    try {
      return await action();
    } catch (error) {
      this.showError(error);
      return null;
    } finally {
      this.busy(false);
    }
  }

  showError(error) {
    if (error instanceof UserErrors) this.showErrors(error.errors);
    else if (error instanceof NetworkError) { this.showSummary([t('form.notSent')]); this.summary.focus(); }
    else if (error instanceof ApiError) { this.showSummary([error.message]); this.summary.focus(); }
    else if (error?.name === 'AbortError') { /* the person left the page */ }
    else { this.showSummary([t('form.failed')]); this.summary.focus(); console.error(error); }
  }
}

/** One labelled control: text, textarea, number, select, checkbox, checkboxes, password, datetime, file. */
export class Field {
  constructor(name, { label, type = 'text', value = null, options = [], help = null, required = false, rows = 4, attrs = {}, hideLabel = false } = {}) {
    this.name = name;
    this.type = type;
    const id = uid('f');
    this.errorEl = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const helpEl = help ? h('p', { class: 'field-help', id: `${id}-help` }, help) : null;
    const describedBy = [helpEl && `${id}-help`, `${id}-error`].filter(Boolean).join(' ');
    if (type === 'checkboxes') {
      this.boxes = options.map((option) => h('input', { type: 'checkbox', value: option.value, checked: (value || []).includes(option.value) }));
      this.input = this.boxes[0] || null;
      this.el = h('fieldset', { class: 'field field-checkboxes', 'aria-describedby': describedBy },
        h('legend', {}, label, required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
        h('div', { class: 'checkbox-row' }, options.map((option, i) => h('label', { class: 'check' }, this.boxes[i], ' ', option.label))),
        helpEl, this.errorEl);
      return;
    }
    this.input = createControl(type, { id, value, options, rows, required, describedBy, attrs });
    const labelEl = h('label', { for: id, class: hideLabel ? 'visually-hidden' : null }, label, required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null);
    this.el = type === 'checkbox'
      ? h('div', { class: 'field field-checkbox' }, this.input, ' ', labelEl, helpEl, this.errorEl)
      : h('div', { class: 'field' }, labelEl, this.input, helpEl, this.errorEl);
  }

  get value() {
    switch (this.type) {
      case 'checkboxes': return this.boxes.filter((b) => b.checked).map((b) => b.value);
      case 'checkbox': return this.input.checked;
      case 'number': return this.input.value === '' ? null : Number(this.input.value);
      case 'file': return this.input.files;
      case 'datetime': return this.input.value ? new Date(this.input.value).toISOString() : null;
      default: return this.input.value;
    }
  }

  set value(value) {
    switch (this.type) {
      case 'checkboxes': for (const box of this.boxes) box.checked = (value || []).includes(box.value); break;
      case 'checkbox': this.input.checked = Boolean(value); break;
      case 'datetime': this.input.value = value ? toLocalInput(value) : ''; break;
      default: this.input.value = value ?? '';
    }
  }

  setError(message) {
    this.errorEl.textContent = message || '';
    this.errorEl.hidden = !message;
    const controls = this.type === 'checkboxes' ? this.boxes : [this.input];
    for (const control of controls) {
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
    this.el.classList.toggle('has-error', Boolean(message));
  }

  focus() {
    this.input?.focus();
  }
}

function createControl(type, { id, value, options, rows, required, describedBy, attrs }) {
  const common = { id, name: id, required, 'aria-describedby': describedBy, ...attrs };
  switch (type) {
    case 'textarea':
      return h('textarea', { ...common, rows, value: value ?? '' });
    case 'select':
      return h('select', common, options.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label)));
    case 'checkbox':
      return h('input', { ...common, type: 'checkbox', checked: Boolean(value) });
    case 'number':
      return h('input', { ...common, type: 'number', value: value ?? '', inputmode: 'numeric' });
    case 'datetime':
      return h('input', { ...common, type: 'datetime-local', value: value ? toLocalInput(value) : '' });
    case 'file':
      return h('input', { ...common, type: 'file' });
    default:
      return h('input', { ...common, type, value: value ?? '' });
  }
}

function toLocalInput(iso) {
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A standalone error slot for a control outside a Field (register it with form.addTarget). */
export function errorTarget(control, container) {
  const errorEl = h('p', { class: 'field-error', id: uid('e'), hidden: true });
  control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), errorEl.id].filter(Boolean).join(' '));
  container.append(errorEl);
  return {
    el: errorEl,
    setError(message) {
      errorEl.textContent = message || '';
      errorEl.hidden = !message;
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
    focus() { control.focus(); },
  };
}

export function button(label, { kind = 'secondary', type = 'button', onClick = null, attrs = {} } = {}) {
  return h('button', { type, class: `btn btn-${kind}`, onclick: onClick, ...attrs }, label);
}
