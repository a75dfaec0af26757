// The expert's inbox: their consultations, most recent activity first, with unread counts and
// status, one page at a time. It updates live: a client's new consultation or message arrives over
// graphql-ws (consultationUpdated) and the page reloads its current page of rows at once.

import { h, debounce } from '../../lib/dom.js';
import { t, formatDateTime, formatNumber } from '../../lib/i18n.js';
import { query } from '../../lib/api.js';
import { live } from '../../lib/ws.js';
import { href, setQuery } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { Field } from '../../ui/form.js';
import { pagedTable } from '../../ui/table.js';
import { toast } from '../../ui/toast.js';
import { consultationBadge, preview } from './common.js';

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';
const INBOX = `query ConsoleInbox($first: Int, $after: String, $last: Int, $before: String, $status: ConsultationStatus) {
  viewer {
    unreadMessageCount
    consultations(first: $first, after: $after, last: $last, before: $before, status: $status) {
      ${PAGE_INFO}
      edges { node { id subject status clientDisplayName lastMessageAt createdAt unreadCount lastMessage { body author { isExpert } } } }
    }
  }
}`;
const UPDATED = 'subscription ConsoleInboxUpdates { consultationUpdated { id subject lastMessage { author { isExpert } } } }';
const STATUSES = ['OPEN', 'ANSWERED', 'CLOSED'];

export default async function render(ctx) {
  const status = new Field('status', {
    label: t('inbox.filter'), type: 'select', value: ctx.query.get('status') || '',
    options: [{ value: '', label: t('common.all') }, ...STATUSES.map((s) => ({ value: s, label: t(`consultationStatus.${s}`) }))],
  });
  const unread = h('p', { class: 'muted', 'aria-live': 'polite' });
  const table = pagedTable({
    caption: t('inbox.caption'),
    signal: ctx.signal,
    empty: t('inbox.empty'),
    state: { after: ctx.query.get('after'), page: ctx.query.get('page') },
    onPage: (state) => setQuery(state),
    columns: [
      {
        label: t('inbox.subject'),
        render: (n) => h('a', { href: href('/consultations/:id', { id: n.id }), class: n.unreadCount ? 'inbox-unread' : null }, n.subject),
      },
      { label: t('inbox.client'), render: (n) => n.clientDisplayName },
      { label: t('inbox.status'), render: (n) => consultationBadge(n.status) },
      {
        label: t('inbox.unread'),
        className: 'num',
        render: (n) => (n.unreadCount ? h('span', { class: 'badge badge-unread' }, t('inbox.unreadCount', { count: formatNumber(n.unreadCount) })) : '—'),
      },
      { label: t('inbox.last'), render: (n) => (n.lastMessage ? preview(n.lastMessage.body) : '') },
      { label: t('inbox.activity'), render: (n) => formatDateTime(n.lastMessageAt || n.createdAt) },
    ],
    load: async (page, signal) => {
      const data = await query(INBOX, { ...page, status: status.value || null }, { signal });
      unread.textContent = t('inbox.totalUnread', { count: formatNumber(data.viewer.unreadMessageCount) });
      return data.viewer.consultations;
    },
  });
  status.input.addEventListener('change', () => {
    setQuery({ status: status.value });
    table.reload();
  });

  // Live: any change to one of my consultations re-reads the rows on show (one small query).
  const refresh = debounce(() => table.refresh(), 50);
  const stop = live.subscribe({ query: UPDATED }, {
    next: (data) => {
      const changed = data?.consultationUpdated;
      refresh();
      if (changed?.lastMessage && !changed.lastMessage.author.isExpert) toast(t('inbox.newActivity', { subject: changed.subject }));
    },
    restarted: refresh, // reconnected after a drop: catch up on what happened meanwhile
    error: () => {},
  });
  ctx.signal.addEventListener('abort', stop, { once: true });

  return h('div', { class: 'page' },
    pageHeader(t('inbox.heading')),
    h('div', { class: 'toolbar', role: 'search', 'aria-label': t('inbox.filter') }, status.el, unread),
    table.el);
}
