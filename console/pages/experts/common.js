// Pieces the experts' pages share: status badges, private media fetched with the bearer token
// (never a cookie, so an <img src> cannot carry it: the bytes become a blob: URL), and the
// per-consultation draft and outbox kept in sessionStorage so nothing typed is lost.

import { h } from '../../lib/dom.js';
import { label } from '../../lib/i18n.js';
import { getToken } from '../../lib/session.js';

export function consultationBadge(status) {
  return h('span', { class: `badge badge-consultation-${status}` }, label('consultationStatus', status));
}

export function visitBadge(status) {
  return h('span', { class: `badge badge-visit-${status}` }, label('visitStatus', status));
}

/**
 * Fetch a private file (a consultation attachment) with the session's bearer token and return a
 * blob: URL for it; the URL is revoked when `signal` aborts (the person left the page).
 */
export async function privateMediaUrl(url, signal) {
  const token = getToken();
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal, credentials: 'omit' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const objectUrl = URL.createObjectURL(await response.blob());
  signal?.addEventListener('abort', () => URL.revokeObjectURL(objectUrl), { once: true });
  return objectUrl;
}

function storageKey(kind, consultationId) {
  return `beacon.console.${kind}.${consultationId}`;
}

function readJson(key, fallback) {
  try {
    const text = sessionStorage.getItem(key);
    return text ? JSON.parse(text) : fallback;
  } catch {
    return fallback;
  }
}

function writeJson(key, value) {
  try {
    if (value === null || (Array.isArray(value) && !value.length) || value === '') sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch { /* storage refused: the draft lasts as long as the page */ }
}

/** The reply being typed in one consultation, kept in this tab across reloads and sign-ins. */
export const drafts = {
  get: (id) => readJson(storageKey('draft', id), ''),
  set: (id, text) => writeJson(storageKey('draft', id), text),
};

/**
 * Replies on their way: [{clientMessageId, body, attachmentIds, error}]. An entry stays until the
 * server has answered with the message; re-sending it uses the same clientMessageId, so the server
 * answers a repeat with the first message rather than writing it twice.
 */
export const outbox = {
  list: (id) => readJson(storageKey('outbox', id), []),
  save: (id, entries) => writeJson(storageKey('outbox', id), entries.map(({ clientMessageId, body, attachmentIds }) => ({ clientMessageId, body, attachmentIds }))),
};

export function newClientMessageId() {
  if (crypto.randomUUID) return `console-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The first line of a message, cut for a list. */
export function preview(text, length = 60) {
  const line = String(text || '').replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}
