// Choosing one's own password: the current one, the new one twice. After an administrator reset
// the password (viewer.mustChangePassword), the console brings the person here before anything
// else. Every other session of theirs ends; this one goes on.

import { h } from '../../lib/dom.js';
import { t } from '../../lib/i18n.js';
import { mutate } from '../../lib/api.js';
import { getUser, updateUser } from '../../lib/session.js';
import { navigate } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, button } from '../../ui/form.js';
import { toast } from '../../ui/toast.js';

const CHANGE = `mutation ConsoleChangePassword($input: ChangePasswordInput!) {
  changePassword(input: $input) { endedSessions errors { field message code } }
}`;

export default function render() {
  const forced = Boolean(getUser()?.mustChangePassword);
  const form = new Form({ label: t('password.heading') });
  const current = form.field('currentPassword', { label: t(forced ? 'password.temporary' : 'password.current'), type: 'password', required: true, attrs: { autocomplete: 'current-password' } });
  const fresh = form.field('newPassword', { label: t('password.new'), type: 'password', required: true, help: t('password.help'), attrs: { autocomplete: 'new-password' } });
  const again = form.field('again', { label: t('password.again'), type: 'password', required: true, attrs: { autocomplete: 'new-password' } });
  form.onSubmit = async (values) => {
    if (values.newPassword !== values.again) {
      form.showErrors([{ field: 'again', message: t('password.mismatch') }]);
      return;
    }
    const payload = await mutate(CHANGE, { input: { currentPassword: values.currentPassword, newPassword: values.newPassword } });
    updateUser({ ...getUser(), mustChangePassword: false });
    toast(t('password.changed', { count: payload.endedSessions }));
    navigate('/', { replace: true });
  };
  current.input.dataset.autofocus = '';
  form.add(current.el, fresh.el, again.el, h('div', { class: 'form-actions' }, button(t('password.submit'), { kind: 'primary', type: 'submit' })));
  return h('div', { class: 'page' }, pageHeader(t('password.heading')),
    forced ? h('p', { class: 'notice notice-warning', role: 'alert' }, t('password.forced')) : null,
    h('section', { class: 'panel', 'aria-label': t('password.heading') }, form.el));
}
