// Messages per locale, registered by each area of the console; zh-CN first, English on request.
// Keys are dotted ("nav.content"); a missing English text falls back to Chinese, then to the key.

export const LOCALES = ['zh-CN', 'en'];
const STORAGE_KEY = 'beacon.console.locale';
const catalogs = { 'zh-CN': {}, en: {} };
const listeners = new Set();
let current = readStored();

function readStored() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return LOCALES.includes(stored) ? stored : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** registerMessages({'zh-CN': {...}, en: {...}}): nested objects become dotted keys. */
export function registerMessages(messages) {
  for (const [locale, tree] of Object.entries(messages)) {
    flatten(tree, '', catalogs[locale] || (catalogs[locale] = {}));
  }
}

function flatten(tree, prefix, into) {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object') flatten(value, path, into);
    else into[path] = value;
  }
}

export function locale() {
  return current;
}

export function setLocale(next) {
  if (!LOCALES.includes(next) || next === current) return;
  current = next;
  try { localStorage.setItem(STORAGE_KEY, next); } catch { /* private mode: the choice lasts this page */ }
  document.documentElement.lang = next;
  for (const listener of listeners) listener(next);
}

export function onLocaleChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function has(key) {
  return key in catalogs[current] || key in catalogs['zh-CN'];
}

/** t('list.range', {from: 1, to: 20, total: 93}) */
export function t(key, params) {
  const text = catalogs[current][key] ?? catalogs['zh-CN'][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** An enum value's label ("status.PUBLISHED"), or the raw value when none is registered. */
export function label(group, value) {
  const key = `${group}.${value}`;
  return has(key) ? t(key) : String(value);
}

export function formatDateTime(value) {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(value) {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium' }).format(date);
}

export function formatNumber(value, options) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(current, options).format(value);
}

export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, { maximumFractionDigits: 1 })} KB`;
  return `${formatNumber(bytes / 1024 / 1024, { maximumFractionDigits: 1 })} MB`;
}

document.documentElement.lang = current;
