// A paged table over a Relay connection (edges, pageInfo, totalCount): never the whole list.
// Columns render cells from a node; at phone width each row becomes a card (CSS uses data-label).

import { h } from '../lib/dom.js';
import { t, formatNumber } from '../lib/i18n.js';

/**
 * pagedTable({caption, columns: [{label, render(node), className}], load({first, after, last, before}, signal),
 *   pageSize, empty, state: {after, page}, onPage(state), signal})
 * -> {el, reload(), refresh()}
 */
export function pagedTable({ caption, columns, load, pageSize = 20, empty = null, state = {}, onPage = null, signal = null }) {
  let cursor = { after: state.after || null, before: null, page: Number(state.page) || 0 };
  let pageInfo = null;
  const body = h('tbody');
  const status = h('p', { class: 'table-status', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'btn btn-secondary', disabled: true, onclick: () => go(-1) }, t('list.previous'));
  const next = h('button', { type: 'button', class: 'btn btn-secondary', disabled: true, onclick: () => go(1) }, t('list.next'));
  const table = h('table', { class: 'table' },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.className }, c.label)))),
    body);
  const el = h('div', { class: 'paged-table', 'aria-busy': 'true' },
    h('div', { class: 'table-scroll' }, table),
    h('div', { class: 'table-footer' }, status, h('div', { class: 'pager' }, prev, next)));

  async function fetchPage() {
    el.setAttribute('aria-busy', 'true');
    prev.disabled = true;
    next.disabled = true;
    const args = cursor.before ? { last: pageSize, before: cursor.before } : { first: pageSize, after: cursor.after };
    let connection;
    try {
      connection = await load(args, signal);
    } catch (error) {
      if (error?.name === 'AbortError') return;
      body.replaceChildren(h('tr', {}, h('td', { colspan: columns.length, class: 'table-error' }, t('list.loadFailed'), ' ', error.message || '')));
      el.setAttribute('aria-busy', 'false');
      return;
    }
    pageInfo = connection.pageInfo;
    const nodes = connection.edges.map((edge) => edge.node);
    body.replaceChildren(...(nodes.length
      ? nodes.map((node) => h('tr', {}, columns.map((c) => h('td', { 'data-label': c.label, class: c.className }, c.render(node)))))
      : [h('tr', {}, h('td', { colspan: columns.length, class: 'table-empty' }, empty || t('list.empty')))]));
    const from = nodes.length ? cursor.page * pageSize + 1 : 0;
    status.textContent = t('list.range', { from: formatNumber(from), to: formatNumber(from + nodes.length - (nodes.length ? 1 : 0)), total: formatNumber(connection.totalCount) });
    prev.disabled = cursor.page === 0 && !(cursor.before && pageInfo.hasPreviousPage);
    next.disabled = !(cursor.before ? true : pageInfo.hasNextPage) || from + nodes.length - 1 >= connection.totalCount;
    el.setAttribute('aria-busy', 'false');
  }

  function go(direction) {
    if (!pageInfo) return;
    if (direction > 0) cursor = { after: pageInfo.endCursor, before: null, page: cursor.page + 1 };
    else cursor = cursor.page <= 1 ? { after: null, before: null, page: 0 } : { after: null, before: pageInfo.startCursor, page: cursor.page - 1 };
    onPage?.({ after: cursor.after, page: cursor.page || null });
    fetchPage();
  }

  fetchPage();
  return {
    el,
    /** Back to the first page (filters changed). */
    reload() { cursor = { after: null, before: null, page: 0 }; onPage?.({ after: null, page: null }); return fetchPage(); },
    /** The same page again (a row changed). */
    refresh() { return fetchPage(); },
  };
}
