// API keys for administrators: creating one for an organization (with an optional expiry) whose
// secret is shown once, the paged list (last use, expiry, revoked) and revoking a key: its next
// request is refused with HTTP 401 and its open sockets close.

import { h } from '../../lib/dom.js';
import { t, formatDateTime } from '../../lib/i18n.js';
import { query, mutate } from '../../lib/api.js';
import { setQuery } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, button } from '../../ui/form.js';
import { pagedTable } from '../../ui/table.js';
import { confirmDialog } from '../../ui/dialog.js';
import { toast } from '../../ui/toast.js';
import { showOnce } from './users.js';

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';
const LIST = `query ConsoleApiKeys($first: Int, $after: String, $last: Int, $before: String) {
  apiKeys(first: $first, after: $after, last: $last, before: $before) {
    ${PAGE_INFO} edges { node { id name createdAt lastUsedAt expiresAt revoked revokedAt organization { id name } } }
  }
}`;
const ORGANIZATIONS = 'query ConsoleKeyOrganizations { organizations(first: 100) { edges { node { id name } } } }';
const CREATE = `mutation ConsoleCreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id name } errors { field message code } }
}`;
const REVOKE = 'mutation ConsoleRevokeApiKey($id: ID!) { revokeApiKey(apiKeyId: $id) { apiKey { id revoked } errors { field message code } } }';
const DAY = 86400000;

function state(key) {
  if (key.revoked) return h('span', { class: 'badge' }, t('keys.revoked'));
  if (key.expiresAt && new Date(key.expiresAt) <= new Date()) return h('span', { class: 'badge badge-warn' }, t('keys.expired'));
  return h('span', { class: 'badge badge-ok' }, t('keys.usable'));
}

export default async function render({ query: params, signal }) {
  const organizations = (await query(ORGANIZATIONS, {}, { signal })).organizations.edges.map((e) => e.node);
  const table = pagedTable({
    caption: t('keys.caption'),
    signal,
    state: { after: params.get('after'), page: params.get('page') },
    onPage: (page) => setQuery(page),
    columns: [
      { label: t('keys.name'), render: (n) => n.name },
      { label: t('keys.organization'), render: (n) => n.organization?.name || '—' },
      { label: t('keys.createdAt'), render: (n) => formatDateTime(n.createdAt) },
      { label: t('keys.lastUsedAt'), render: (n) => (n.lastUsedAt ? formatDateTime(n.lastUsedAt) : t('keys.never')) },
      { label: t('keys.expiresAt'), render: (n) => (n.expiresAt ? formatDateTime(n.expiresAt) : t('keys.noExpiry')) },
      { label: t('keys.state'), render: state },
      { label: t('keys.actions'), render: (n) => (n.revoked ? '—' : button([t('keys.revoke'), h('span', { class: 'visually-hidden' }, ` ${n.name}`)], { kind: 'danger', onClick: () => revoke(n) })) },
    ],
    load: async (page, s) => (await query(LIST, page, { signal: s })).apiKeys,
  });

  async function revoke(key) {
    const sure = await confirmDialog({ title: t('keys.revoke'), message: t('keys.confirmRevoke', { name: key.name }), confirmLabel: t('keys.revoke'), danger: true });
    if (!sure) return;
    try {
      await mutate(REVOKE, { id: key.id });
      toast(t('keys.revokedDone', { name: key.name }));
      await table.refresh();
    } catch (error) {
      toast(error.message || t('form.failed'), { kind: 'error', timeout: 10000 });
    }
  }

  const form = new Form({ label: t('keys.create') });
  const name = form.field('name', { label: t('keys.name'), required: true, help: t('keys.nameHelp') });
  const organization = form.field('organizationId', { label: t('keys.organization'), type: 'select', required: true, options: [{ value: '', label: t('keys.chooseOrganization') }, ...organizations.map((o) => ({ value: o.id, label: o.name }))] });
  const expires = form.field('expires', { label: t('keys.expiresOn'), type: 'date', help: t('keys.expiresHelp') });
  form.addTarget('expiresAt', expires); // the API names it input.expiresAt
  form.onSubmit = async (values) => {
    if (!values.organizationId) {
      form.showErrors([{ field: 'organizationId', message: t('keys.chooseOrganization') }]);
      return;
    }
    // The key works through the whole day chosen (UTC) and stops at its end.
    const day = values.expires ? new Date(`${values.expires}T00:00:00Z`) : null;
    const expiresAt = day && !Number.isNaN(day.getTime()) ? new Date(day.getTime() + DAY).toISOString() : null;
    const payload = await mutate(CREATE, { input: { name: values.name, organizationId: values.organizationId, expiresAt } });
    name.value = '';
    expires.value = '';
    table.reload();
    showOnce(t('keys.secretTitle', { name: payload.apiKey.name }), t('keys.secretText'), payload.secret);
  };
  form.add(h('div', { class: 'toolbar' }, name.el, organization.el, expires.el, h('div', { class: 'form-actions' }, button(t('keys.create'), { kind: 'primary', type: 'submit' }))));
  return h('div', { class: 'page' }, pageHeader(t('keys.heading')),
    h('section', { class: 'panel', 'aria-label': t('keys.create') }, h('h2', {}, t('keys.create')), form.el), table.el);
}
