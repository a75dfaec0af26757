// The sign-in page. It works with the keyboard alone: labelled fields in order, Enter submits,
// an error moves focus to its message. What the person typed stays when sign-in fails.

import { h } from '../../lib/dom.js';
import { t } from '../../lib/i18n.js';
import { request, UserErrors } from '../../lib/api.js';
import { start, updateUser } from '../../lib/session.js';
import { navigate } from '../../lib/router.js';
import { Form } from '../../ui/form.js';

const LOGIN = `mutation ConsoleLogin($input: LoginInput!) {
  login(input: $input) {
    token
    user { id username displayName roles organization { id name timeZone } }
    errors { field message code }
  }
}`;
const MUST_CHANGE = 'query ConsoleMustChangePassword { viewer { mustChangePassword } }';

export const STAFF_ROLES = ['EDITOR', 'ADMIN', 'EXPERT', 'TEACHER'];

/** Sign in; resolves {token, user} or throws UserErrors (wrong password, throttled, not staff). */
export async function signIn(username, password) {
  const data = await request(LOGIN, { input: { username, password } }, { retry: false });
  const payload = data.login;
  if (payload.errors.length) throw new UserErrors(payload.errors.map((e) => ({ ...e, field: e.field || 'password' })));
  if (!payload.user.roles.some((role) => STAFF_ROLES.includes(role))) {
    throw new UserErrors([{ field: 'username', message: t('signin.notStaff'), code: 'FORBIDDEN' }]);
  }
  return payload;
}

export function reasonMessage(reason) {
  const key = `signin.reason.${reason}`;
  const text = t(key);
  return text === key ? t('signin.reason.invalid') : text;
}

export default function render(ctx) {
  const reason = ctx.query.get('reason');
  const next = ctx.query.get('next') || '/';
  const form = new Form({ label: t('signin.title') });
  const username = form.field('username', { label: t('signin.username'), value: ctx.query.get('username') || '', required: true, attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' } });
  const password = form.field('password', { label: t('signin.password'), type: 'password', required: true, attrs: { autocomplete: 'current-password' } });
  form.add(
    reason ? h('p', { class: 'notice notice-warning', role: 'alert' }, reasonMessage(reason)) : null,
    username.el,
    password.el,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary btn-wide' }, t('signin.submit'))),
  );
  form.onSubmit = async (values) => {
    if (!values.username || !values.password) {
      form.showErrors([
        !values.username && { field: 'username', message: t('signin.required') },
        !values.password && { field: 'password', message: t('signin.required') },
      ].filter(Boolean));
      return;
    }
    const result = await signIn(values.username.trim(), values.password);
    start(result.token, result.user);
    // A temporary password from an administrator: the console asks for one's own first (app.js).
    const viewer = (await request(MUST_CHANGE, {}, { retry: false })).viewer;
    if (viewer?.mustChangePassword) updateUser({ ...result.user, mustChangePassword: true });
    navigate(next.startsWith('/') ? next : '/', { replace: true });
  };
  (username.value ? password : username).input.dataset.autofocus = '';
  return h('div', { class: 'signin' },
    h('div', { class: 'signin-card' },
      h('h1', { class: 'signin-title' }, t('signin.title')),
      h('p', { class: 'signin-lead' }, t('signin.lead')),
      form.el,
      h('p', { class: 'signin-foot' }, h('a', { href: '/graphql' }, t('signin.graphiql')))));
}
