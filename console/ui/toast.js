// Short notices ("已保存") in a live region: screen readers announce them, nothing steals focus.

import { h } from '../lib/dom.js';

let region = null;

export function toastRegion() {
  region = region || h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
  return region;
}

export function toast(message, { kind = 'ok', timeout = 5000 } = {}) {
  const item = h('div', { class: `toast toast-${kind}` }, message);
  toastRegion().append(item);
  setTimeout(() => item.remove(), timeout);
  return item;
}
