// Users for administrators: the paged list (filtered by role, organization, state and a search,
// all kept in the address), creating an account with its roles, deactivating and reactivating
// one (its sessions and sockets end at once), and resetting a password to a temporary one that is
// shown once and that the person must change at their next sign-in.

import { h, debounce } from '../../lib/dom.js';
import { t, label } from '../../lib/i18n.js';
import { query, mutate } from '../../lib/api.js';
import { setQuery } from '../../lib/router.js';
import { getUser } from '../../lib/session.js';
import { pageHeader } from '../../ui/shell.js';
import { Field, Form, button } from '../../ui/form.js';
import { pagedTable } from '../../ui/table.js';
import { confirmDialog, openDialog } from '../../ui/dialog.js';
import { toast } from '../../ui/toast.js';

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';
const LIST = `query ConsoleUsers($first: Int, $after: String, $last: Int, $before: String, $role: Role, $organization: ID, $active: Boolean, $search: String) {
  users(first: $first, after: $after, last: $last, before: $before, role: $role, organizationId: $organization, active: $active, search: $search) {
    ${PAGE_INFO} edges { node { id username displayName roles isActive organization { id name } } }
  }
}`;
const ORGANIZATIONS = 'query ConsoleUserOrganizations { organizations(first: 100) { edges { node { id name } } } }';
const USER_ERRORS = 'errors { field message code }';
const CREATE = `mutation ConsoleCreateUser($input: CreateUserInput!) { createUser(input: $input) { user { id username } ${USER_ERRORS} } }`;
const DEACTIVATE = `mutation ConsoleDeactivateUser($id: ID!) { deactivateUser(userId: $id) { user { id isActive } ${USER_ERRORS} } }`;
const REACTIVATE = `mutation ConsoleReactivateUser($id: ID!) { reactivateUser(userId: $id) { user { id isActive } ${USER_ERRORS} } }`;
const RESET = `mutation ConsoleResetUserPassword($input: ResetUserPasswordInput!) {
  resetUserPassword(input: $input) { user { id } temporaryPassword ${USER_ERRORS} }
}`;
const RESET_SECOND_FACTOR = `mutation ConsoleResetSecondFactor($id: ID!) { resetUserSecondFactor(userId: $id) { user { id } ${USER_ERRORS} } }`;
// Whose second factor an admin may reset (docs/accounts.md); anyone may have one, staff must.
const SECOND_FACTOR_ROLES = ['EXPERT', 'ADMIN'];
export const ROLES = ['LEARNER', 'TEACHER', 'CLIENT', 'EXPERT', 'EDITOR', 'ADMIN'];
const STATES = { active: true, inactive: false };

export default async function render({ query: params, signal }) {
  const organizations = (await query(ORGANIZATIONS, {}, { signal })).organizations.edges.map((e) => e.node);
  const orgOptions = organizations.map((o) => ({ value: o.id, label: o.name }));
  const filters = {
    search: new Field('search', { label: t('users.search'), type: 'search', value: params.get('search') || '' }),
    role: new Field('role', { label: t('users.role'), type: 'select', value: params.get('role') || '', options: [{ value: '', label: t('users.any') }, ...ROLES.map((r) => ({ value: r, label: label('role', r) }))] }),
    organization: new Field('organization', { label: t('users.organization'), type: 'select', value: params.get('organization') || '', options: [{ value: '', label: t('users.any') }, ...orgOptions] }),
    state: new Field('state', { label: t('users.state'), type: 'select', value: params.get('state') || '', options: [{ value: '', label: t('users.any') }, { value: 'active', label: t('users.active') }, { value: 'inactive', label: t('users.inactive') }] }),
  };
  const me = getUser();

  const variables = () => ({
    search: filters.search.value.trim() || null,
    role: filters.role.value || null,
    organization: filters.organization.value || null,
    active: filters.state.value in STATES ? STATES[filters.state.value] : null,
  });

  const table = pagedTable({
    caption: t('users.caption'),
    signal,
    state: { after: params.get('after'), page: params.get('page') },
    onPage: (state) => setQuery(state),
    columns: [
      { label: t('users.username'), render: (n) => n.username },
      { label: t('users.displayName'), render: (n) => n.displayName },
      { label: t('users.roles'), render: (n) => n.roles.map((r) => label('role', r)).join('、') || '—' },
      { label: t('users.organization'), render: (n) => n.organization?.name || '—' },
      { label: t('users.state'), render: (n) => h('span', { class: n.isActive ? 'badge badge-ok' : 'badge' }, t(n.isActive ? 'users.active' : 'users.inactive')) },
      { label: t('users.actions'), render: (n) => actions(n) },
    ],
    load: async (page, s) => {
      filters.search.setError(null);
      try {
        return (await query(LIST, { ...page, ...variables() }, { signal: s })).users;
      } catch (error) {
        if (error.errors?.[0]?.extensions?.code === 'INVALID') filters.search.setError(error.message);
        throw error;
      }
    },
  });

  /** A row's buttons; each names its person for screen readers ("停用 wang-laoshi"). */
  function actions(user) {
    const named = (text) => [text, h('span', { class: 'visually-hidden' }, ` ${user.username}`)];
    const state = user.isActive
      ? button(named(t('users.deactivate')), { kind: 'danger', onClick: () => deactivate(user), attrs: { disabled: user.id === me?.id } })
      : button(named(t('users.reactivate')), { onClick: () => act(REACTIVATE, user, 'reactivateUser', 'users.reactivated') });
    const secondFactor = user.roles.some((r) => SECOND_FACTOR_ROLES.includes(r)) && user.id !== me?.id
      ? button(named(t('users.resetSecondFactor')), { onClick: () => resetSecondFactor(user) })
      : null;
    return h('div', { class: 'row-actions' }, state, button(named(t('users.reset')), { onClick: () => reset(user) }), secondFactor);
  }

  async function act(document, user, field, done) {
    try {
      await mutate(document, { id: user.id });
      toast(t(done, { name: user.username }));
      await table.refresh();
    } catch (error) {
      toast(error.message || t('form.failed'), { kind: 'error', timeout: 10000 });
    }
  }

  async function deactivate(user) {
    const sure = await confirmDialog({ title: t('users.deactivate'), message: t('users.confirmDeactivate', { name: user.username }), confirmLabel: t('users.deactivate'), danger: true });
    if (sure) await act(DEACTIVATE, user, 'deactivateUser', 'users.deactivated');
  }

  async function resetSecondFactor(user) {
    const sure = await confirmDialog({ title: t('users.resetSecondFactor'), message: t('users.confirmResetSecondFactor', { name: user.username }), confirmLabel: t('users.resetSecondFactor'), danger: true });
    if (sure) await act(RESET_SECOND_FACTOR, user, 'resetUserSecondFactor', 'users.secondFactorReset');
  }

  async function reset(user) {
    const sure = await confirmDialog({ title: t('users.reset'), message: t('users.confirmReset', { name: user.username }), confirmLabel: t('users.reset') });
    if (!sure) return;
    let payload;
    try {
      payload = await mutate(RESET, { input: { userId: user.id, newPassword: null } });
    } catch (error) {
      toast(error.message || t('form.failed'), { kind: 'error', timeout: 10000 });
      return;
    }
    showOnce(t('users.temporaryTitle', { name: user.username }), t('users.temporaryText'), payload.temporaryPassword);
  }

  const apply = () => {
    setQuery({ search: filters.search.value.trim(), role: filters.role.value, organization: filters.organization.value, state: filters.state.value });
    table.reload();
  };
  filters.search.input.addEventListener('input', debounce(apply, 350));
  for (const field of [filters.role, filters.organization, filters.state]) field.input.addEventListener('change', apply);

  const form = new Form({ label: t('users.create') });
  const username = form.field('username', { label: t('users.username'), required: true, attrs: { autocomplete: 'off' } });
  const displayName = form.field('displayName', { label: t('users.displayName'), required: true });
  const password = form.field('password', { label: t('users.password'), type: 'password', required: true, help: t('users.passwordHelp'), attrs: { autocomplete: 'new-password' } });
  const roles = form.field('roles', { label: t('users.roles'), type: 'checkboxes', required: true, options: ROLES.map((r) => ({ value: r, label: label('role', r) })) });
  const organization = form.field('organizationId', { label: t('users.organization'), type: 'select', options: [{ value: '', label: t('users.none') }, ...orgOptions] });
  form.onSubmit = async (values) => {
    const input = { username: values.username, displayName: values.displayName, password: values.password, roles: values.roles, organizationId: values.organizationId || null };
    const payload = await mutate(CREATE, { input });
    toast(t('users.created', { name: payload.user.username }));
    username.value = '';
    displayName.value = '';
    password.value = '';
    roles.value = [];
    organization.value = '';
    table.reload();
  };
  form.add(h('div', { class: 'toolbar' }, username.el, displayName.el, password.el, organization.el), roles.el,
    h('div', { class: 'form-actions' }, button(t('users.create'), { kind: 'primary', type: 'submit' })));

  return h('div', { class: 'page' }, pageHeader(t('users.heading')),
    h('div', { class: 'toolbar', role: 'search', 'aria-label': t('users.filters') }, Object.values(filters).map((f) => f.el)),
    table.el,
    h('section', { class: 'panel', 'aria-label': t('users.create') }, h('h2', {}, t('users.create')), form.el));
}

/** A secret the server returns once (a temporary password, an API key): shown in a dialog that says so. */
export function showOnce(title, text, secret) {
  const value = h('input', { type: 'text', readonly: true, value: secret, class: 'secret-once', 'aria-label': title, spellcheck: 'false' });
  const copy = async () => {
    value.select();
    try {
      await navigator.clipboard.writeText(secret);
      toast(t('users.copied'));
    } catch {
      /* the text is selected: the person can copy it themselves */
    }
    return false;
  };
  openDialog({
    title,
    content: h('div', {}, h('p', {}, text), value),
    actions: [{ label: t('users.copy'), onClick: copy }, { label: t('users.done'), kind: 'primary' }],
  });
  value.focus();
  value.select();
}
