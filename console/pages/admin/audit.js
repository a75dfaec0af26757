// The consultation audit log for administrators: newest first, filtered by consultation, actor
// and period (UTC days), one page at a time; the filters live in the address.

import { h, debounce } from '../../lib/dom.js';
import { t, label, formatDateTime } from '../../lib/i18n.js';
import { query } from '../../lib/api.js';
import { setQuery } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { Field } from '../../ui/form.js';
import { pagedTable } from '../../ui/table.js';

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';
const LOG = `query ConsoleAuditLog($first: Int, $after: String, $last: Int, $before: String, $consultation: ID, $actor: String, $from: DateTime, $to: DateTime) {
  consultationAuditLog(first: $first, after: $after, last: $last, before: $before, consultationId: $consultation, actorName: $actor, from: $from, to: $to) {
    ${PAGE_INFO} edges { node { at consultationId actorDisplayName actorRoles action detail } }
  }
}`;
const DAY = 86400000;

export default async function render({ query: params, signal }) {
  const filters = {
    consultation: new Field('consultation', { label: t('audit.consultation'), value: params.get('consultation') || '' }),
    actor: new Field('actor', { label: t('audit.actor'), type: 'search', value: params.get('actor') || '' }),
    from: new Field('from', { label: t('audit.from'), type: 'date', value: params.get('from') || '' }),
    to: new Field('to', { label: t('audit.to'), type: 'date', value: params.get('to') || '' }),
  };
  const problem = h('p', { class: 'field-error', role: 'alert', hidden: true });

  function variables() {
    const from = filters.from.value ? new Date(`${filters.from.value}T00:00:00Z`) : null;
    const to = filters.to.value ? new Date(new Date(`${filters.to.value}T00:00:00Z`).getTime() + DAY) : null;
    return {
      consultation: filters.consultation.value.trim() || null,
      actor: filters.actor.value.trim() || null,
      from: from && !Number.isNaN(from.getTime()) ? from.toISOString() : null,
      to: to && !Number.isNaN(to.getTime()) ? to.toISOString() : null,
    };
  }

  const table = pagedTable({
    caption: t('audit.caption'),
    signal,
    pageSize: 25,
    state: { after: params.get('after'), page: params.get('page') },
    onPage: (state) => setQuery(state),
    columns: [
      { label: t('audit.at'), render: (n) => formatDateTime(n.at) },
      { label: t('audit.consultation'), render: (n) => h('code', {}, n.consultationId) },
      { label: t('audit.actor'), render: (n) => n.actorDisplayName },
      { label: t('audit.roles'), render: (n) => n.actorRoles.map((r) => label('role', r)).join('、') || '—' },
      { label: t('audit.action'), render: (n) => label('auditAction', n.action) },
      { label: t('audit.detail'), render: (n) => n.detail || '—' },
    ],
    load: async (page, s) => {
      problem.hidden = true;
      for (const field of Object.values(filters)) field.setError(null);
      try {
        return (await query(LOG, { ...page, ...variables() }, { signal: s })).consultationAuditLog;
      } catch (error) {
        const field = error.errors?.[0]?.extensions?.code === 'INVALID' ? (/from|to/i.test(error.message) ? filters.from : filters.consultation) : null;
        field?.setError(error.message);
        throw error;
      }
    },
  });
  const apply = () => {
    setQuery({ consultation: filters.consultation.value.trim(), actor: filters.actor.value.trim(), from: filters.from.value, to: filters.to.value });
    table.reload();
  };
  const typed = debounce(apply, 350);
  for (const field of [filters.consultation, filters.actor]) field.input.addEventListener('input', typed);
  for (const field of [filters.from, filters.to]) field.input.addEventListener('change', apply);
  return h('div', { class: 'page' }, pageHeader(t('audit.heading')),
    h('div', { class: 'toolbar', role: 'search', 'aria-label': t('audit.filters') }, Object.values(filters).map((f) => f.el)), problem,
    table.el);
}
