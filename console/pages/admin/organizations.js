// Organizations: the paged list and a form to create one.

import { h } from '../../lib/dom.js';
import { t, label } from '../../lib/i18n.js';
import { query, mutate } from '../../lib/api.js';
import { setQuery } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, button } from '../../ui/form.js';
import { pagedTable } from '../../ui/table.js';
import { toast } from '../../ui/toast.js';

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';
const LIST = `query ConsoleOrganizationList($first: Int, $after: String, $last: Int, $before: String) {
  organizations(first: $first, after: $after, last: $last, before: $before) { ${PAGE_INFO} edges { node { id name kind region } } }
}`;
const CREATE = 'mutation ConsoleCreateOrganization($input: OrganizationInput!) { createOrganization(input: $input) { organization { id name } errors { field message code } } }';
export const KINDS = ['SCHOOL', 'COMMUNITY', 'REHAB_CENTER', 'AGENCY'];

export default async function render({ query: params, signal }) {
  const table = pagedTable({
    caption: t('orgs.caption'),
    signal,
    state: { after: params.get('after'), page: params.get('page') },
    onPage: (state) => setQuery(state),
    columns: [
      { label: t('orgs.name'), render: (n) => n.name },
      { label: t('orgs.kind'), render: (n) => (n.kind ? label('organizationKind', n.kind) : '—') },
      { label: t('orgs.region'), render: (n) => n.region || '—' },
    ],
    load: async (page, s) => (await query(LIST, page, { signal: s })).organizations,
  });
  const form = new Form({ label: t('orgs.create') });
  const name = form.field('name', { label: t('orgs.name'), required: true });
  const kind = form.field('kind', { label: t('orgs.kind'), type: 'select', options: KINDS.map((k) => ({ value: k, label: label('organizationKind', k) })) });
  const region = form.field('region', { label: t('orgs.region') });
  form.onSubmit = async (values) => {
    const payload = await mutate(CREATE, { input: { name: values.name, kind: values.kind, region: values.region || null } });
    toast(t('orgs.created', { name: payload.organization.name }));
    name.value = '';
    region.value = '';
    table.reload();
  };
  form.add(h('div', { class: 'toolbar' }, name.el, kind.el, region.el, h('div', { class: 'form-actions' }, button(t('orgs.create'), { kind: 'primary', type: 'submit' }))));
  return h('div', { class: 'page' }, pageHeader(t('orgs.heading')),
    h('section', { class: 'panel', 'aria-label': t('orgs.create') }, h('h2', {}, t('orgs.create')), form.el), table.el);
}
