// The sign-in page. It works with the keyboard alone: labelled fields in order, Enter submits,
// an error moves focus to its message. What the person typed stays when sign-in fails.
//
// Experts and admins may need a second factor (docs/accounts.md): when the server answers
// SECOND_FACTOR_REQUIRED, a code field appears (focused) and the same form is sent again with it;
// when it answers SECOND_FACTOR_ENROLMENT_REQUIRED, the card turns into the enrolment steps
// (the secret to add to an authenticator app, a first code, then the recovery codes, shown once).

import { h } from '../../lib/dom.js';
import { t } from '../../lib/i18n.js';
import { request, UserErrors } from '../../lib/api.js';
import { start, updateUser } from '../../lib/session.js';
import { navigate } from '../../lib/router.js';
import { Form } from '../../ui/form.js';

const USER_FIELDS = 'user { id username displayName roles organization { id name timeZone } }';

const LOGIN = `mutation ConsoleLogin($input: LoginInput!) {
  login(input: $input) {
    token
    refreshToken
    enrolmentToken
    ${USER_FIELDS}
    errors { field message code }
  }
}`;
const MUST_CHANGE = 'query ConsoleMustChangePassword { viewer { mustChangePassword } }';

const BEGIN = `mutation ConsoleBeginSecondFactor {
  beginSecondFactorEnrolment { secret otpauthUri errors { field message code } }
}`;

const CONFIRM = `mutation ConsoleConfirmSecondFactor($code: String!) {
  confirmSecondFactor(code: $code) { token refreshToken recoveryCodes ${USER_FIELDS} errors { field message code } }
}`;

export const STAFF_ROLES = ['EDITOR', 'ADMIN', 'EXPERT', 'TEACHER'];

function checkStaff(user) {
  if (!user.roles.some((role) => STAFF_ROLES.includes(role))) {
    throw new UserErrors([{ field: 'username', message: t('signin.notStaff'), code: 'FORBIDDEN' }]);
  }
}

/**
 * Sign in; resolves {token, refreshToken, user} (refreshToken null for experts and admins), or {enrolmentToken} when a second factor must be set up first.
 * Throws UserErrors (wrong password or code, throttled, not staff, SECOND_FACTOR_REQUIRED on `otp`).
 */
export async function signIn(username, password, otp = null) {
  const data = await request(LOGIN, { input: { username, password, otp: otp || null } }, { retry: false });
  const payload = data.login;
  if (payload.errors.some((e) => e.code === 'SECOND_FACTOR_ENROLMENT_REQUIRED')) {
    return { enrolmentToken: payload.enrolmentToken };
  }
  if (payload.errors.length) {
    throw new UserErrors(payload.errors.map((e) => (
      e.code === 'SECOND_FACTOR_REQUIRED'
        ? { ...e, field: 'otp', message: t('signin.otpNeeded') }
        : { ...e, field: e.field || 'password' })));
  }
  checkStaff(payload.user);
  return payload;
}

/** A code field, hidden until the server asks for a second factor. */
export function otpField(form) {
  const otp = form.field('otp', {
    label: t('signin.otp'),
    help: t('signin.otpHelp'),
    attrs: { autocomplete: 'one-time-code', inputmode: 'numeric', autocapitalize: 'none', spellcheck: 'false' },
  });
  otp.el.hidden = true;
  return otp;
}

/** Show the code field when a sign-in attempt was refused for want of it (before the error focuses it). */
export function revealOtpOn(error, otp) {
  if (error instanceof UserErrors && error.errors.some((e) => e.code === 'SECOND_FACTOR_REQUIRED')) otp.el.hidden = false;
}

export function reasonMessage(reason) {
  const key = `signin.reason.${reason}`;
  const text = t(key);
  return text === key ? t('signin.reason.invalid') : text;
}

/** The payload of a mutation sent with the enrolment token; its UserErrors thrown. */
async function enrolmentStep(document, variables, token, name) {
  const data = await request(document, variables, { retry: false, token });
  const payload = data[name];
  if (payload.errors.length) throw new UserErrors(payload.errors);
  return payload;
}

function stepHeading(text) {
  // Focused when the step appears, so a screen reader says where the person is.
  return h('h1', { class: 'signin-title', tabindex: '-1' }, text);
}

/** The enrolment steps, in the sign-in card; `done(token, user)` once the recovery codes were seen. */
function enrolment(card, enrolmentToken, done) {
  const heading = stepHeading(t('enrol.title'));
  const form = new Form({ label: t('enrol.title') });
  const code = form.field('code', {
    label: t('enrol.code'),
    required: true,
    attrs: { autocomplete: 'one-time-code', inputmode: 'numeric', autocapitalize: 'none', spellcheck: 'false' },
  });
  code.el.hidden = true; // until the secret is there
  form.add(code.el, h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary btn-wide' }, t('enrol.confirm'))));
  const secret = h('div', { class: 'enrol-secret-box' }, h('p', {}, t('common.loading')));
  card.replaceChildren(heading, h('p', { class: 'signin-lead' }, t('enrol.lead')), secret, form.el);
  heading.focus();
  form.onSubmit = async (values) => {
    if (!values.code.trim()) {
      form.showErrors([{ field: 'code', message: t('signin.required') }]);
      return;
    }
    const confirmed = await enrolmentStep(CONFIRM, { code: values.code.trim() }, enrolmentToken, 'confirmSecondFactor');
    checkStaff(confirmed.user);
    recoveryCodes(card, confirmed, done);
  };
  // A failure here (the 15 minutes passed) lands in the form's summary.
  form.run(async () => {
    const begun = await enrolmentStep(BEGIN, {}, enrolmentToken, 'beginSecondFactorEnrolment');
    secret.replaceChildren(
      h('p', {}, t('enrol.secretLabel')),
      h('p', {}, h('code', { class: 'enrol-secret', 'data-secret': begun.secret }, begun.secret.match(/.{1,4}/g).join(' '))),
      h('details', {}, h('summary', {}, t('enrol.uriLabel')), h('p', {}, h('code', { class: 'enrol-uri' }, begun.otpauthUri))),
    );
    code.el.hidden = false;
    code.focus();
  });
}

function recoveryCodes(card, confirmed, done) {
  const heading = stepHeading(t('enrol.codesTitle'));
  const proceed = h('button', { type: 'button', class: 'btn btn-primary btn-wide', onclick: () => done(confirmed.token, confirmed.user, confirmed.refreshToken) }, t('enrol.continue'));
  card.replaceChildren(
    heading,
    h('p', { class: 'notice notice-warning' }, t('enrol.codesLead')),
    h('ol', { class: 'recovery-codes', 'aria-label': t('enrol.codesTitle') }, confirmed.recoveryCodes.map((c) => h('li', {}, h('code', {}, c)))),
    h('div', { class: 'form-actions' }, proceed),
  );
  heading.focus();
}

export default function render(ctx) {
  const reason = ctx.query.get('reason');
  const next = ctx.query.get('next') || '/';
  const form = new Form({ label: t('signin.title') });
  const username = form.field('username', { label: t('signin.username'), value: ctx.query.get('username') || '', required: true, attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' } });
  const password = form.field('password', { label: t('signin.password'), type: 'password', required: true, attrs: { autocomplete: 'current-password' } });
  const otp = otpField(form);
  form.add(
    reason ? h('p', { class: 'notice notice-warning', role: 'alert' }, reasonMessage(reason)) : null,
    username.el,
    password.el,
    otp.el,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary btn-wide' }, t('signin.submit'))),
  );
  const finish = async (token, user, refreshToken = null) => {
    start(token, user, refreshToken);
    // A temporary password from an administrator: the console asks for one's own first (app.js).
    const viewer = (await request(MUST_CHANGE, {}, { retry: false })).viewer;
    if (viewer?.mustChangePassword) updateUser({ ...user, mustChangePassword: true });
    navigate(next.startsWith('/') ? next : '/', { replace: true });
  };
  let card = null;
  form.onSubmit = async (values) => {
    if (!values.username || !values.password) {
      form.showErrors([
        !values.username && { field: 'username', message: t('signin.required') },
        !values.password && { field: 'password', message: t('signin.required') },
      ].filter(Boolean));
      return;
    }
    let result;
    try {
      result = await signIn(values.username.trim(), values.password, otp.el.hidden ? null : values.otp.trim());
    } catch (error) {
      revealOtpOn(error, otp);
      throw error;
    }
    if (result.enrolmentToken) enrolment(card, result.enrolmentToken, finish);
    else await finish(result.token, result.user, result.refreshToken);
  };
  (username.value ? password : username).input.dataset.autofocus = '';
  card = h('div', { class: 'signin-card' },
    h('h1', { class: 'signin-title' }, t('signin.title')),
    h('p', { class: 'signin-lead' }, t('signin.lead')),
    form.el,
    h('p', { class: 'signin-foot' }, h('a', { href: '/graphql' }, t('signin.graphiql'))));
  return h('div', { class: 'signin' }, card);
}
