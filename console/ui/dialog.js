// Modal dialogs on the native <dialog> element: it traps focus, closes on Escape and returns
// focus to what opened it; the title labels it for screen readers.

import { h, uid } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

/** openDialog({title, content, actions: [{label, kind, onClick}], dismissible}) -> {el, close} */
export function openDialog({ title, content, actions = [], dismissible = true, className = '' }) {
  const titleId = uid('dlg');
  const opener = document.activeElement;
  const dialog = h('dialog', { class: ['dialog', className], 'aria-labelledby': titleId });
  const close = (value) => {
    if (dialog.open) dialog.close(value ?? '');
  };
  const buttons = actions.map((action) => h('button', {
    type: 'button',
    class: `btn btn-${action.kind || 'secondary'}`,
    onclick: async () => {
      const keep = await action.onClick?.();
      if (keep !== false) close(action.value);
    },
  }, action.label));
  dialog.append(
    h('h2', { id: titleId, class: 'dialog-title' }, title),
    h('div', { class: 'dialog-body' }, content),
    buttons.length ? h('div', { class: 'dialog-actions' }, buttons) : null,
  );
  dialog.addEventListener('cancel', (event) => { if (!dismissible) event.preventDefault(); });
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener instanceof HTMLElement && document.contains(opener)) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return { el: dialog, close };
}

/** Ask a yes/no question; resolves true when confirmed. */
export function confirmDialog({ title, message, confirmLabel = null, danger = false }) {
  return new Promise((resolve) => {
    let answer = false;
    const { el } = openDialog({
      title,
      content: h('p', {}, message),
      actions: [
        { label: t('common.cancel'), kind: 'secondary' },
        { label: confirmLabel || t('common.confirm'), kind: danger ? 'danger' : 'primary', onClick: () => { answer = true; } },
      ],
    });
    el.addEventListener('close', () => resolve(answer));
  });
}
