// When the server refuses the session's credential mid-work, a sign-in dialog opens over the page,
// says why, and keeps the page (and everything typed into it) underneath. The same person signing
// in again continues where they were, and the refused requests are re-sent; anyone else starts fresh.

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { openDialog } from './dialog.js';
import { Form } from './form.js';
import { signIn, reasonMessage, otpField, revealOtpOn } from '../pages/core/signin.js';
import { resumeAfterSignIn, abandonSignIn, end, start } from '../lib/session.js';
import { navigate } from '../lib/router.js';

export function showSignInDialog(reason, previousUser) {
  const form = new Form({ label: t('signin.title') });
  const username = form.field('username', { label: t('signin.username'), value: previousUser?.username || '', required: true, attrs: { autocomplete: 'username' } });
  const password = form.field('password', { label: t('signin.password'), type: 'password', required: true, attrs: { autocomplete: 'current-password' } });
  const otp = otpField(form);
  let dialog = null;
  form.add(
    h('p', { class: 'notice notice-warning', role: 'alert' }, reasonMessage(reason)),
    h('p', { class: 'field-help' }, t('signin.keptWork')),
    username.el, password.el, otp.el,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('signin.submit')),
      h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => { dialog.close(); abandonSignIn(); end(); navigate('/sign-in'); } }, t('shell.signOut'))),
  );
  form.onSubmit = async (values) => {
    let result;
    try {
      result = await signIn(values.username, values.password, otp.el.hidden ? null : values.otp.trim());
    } catch (error) {
      revealOtpOn(error, otp);
      throw error;
    }
    dialog.close();
    if (result.enrolmentToken) {
      // A second factor to set up first: that is the sign-in page's work (this page's state is given up).
      abandonSignIn();
      end();
      navigate('/sign-in', { replace: true });
      return;
    }
    if (previousUser && result.user.id === previousUser.id) {
      resumeAfterSignIn(result.token, result.user, result.refreshToken);
    } else {
      // Someone else: what the page holds belongs to the previous person.
      abandonSignIn();
      start(result.token, result.user, result.refreshToken);
      navigate('/', { replace: true });
    }
  };
  dialog = openDialog({ title: t('signin.againTitle'), content: form.el, dismissible: false, className: 'dialog-signin' });
  (previousUser ? password : username).focus();
}
