// The landing page: who is signed in and the areas their roles open, as links.

import { h } from '../../lib/dom.js';
import { t, label } from '../../lib/i18n.js';
import { getUser, hasRole } from '../../lib/session.js';
import { pageHeader } from '../../ui/shell.js';
import { navEntries } from '../index.js';

export default function render() {
  const user = getUser();
  const entries = navEntries().filter((e) => e.href !== '#/' && (!e.roles?.length || hasRole(...e.roles)));
  return h('div', { class: 'page' },
    pageHeader(t('home.title', { name: user.displayName || user.username })),
    h('p', {}, t('home.roles'), ' ', user.roles.map((r) => label('role', r)).join('、')),
    user.organization ? h('p', {}, t('home.organization'), ' ', user.organization.name) : null,
    entries.length
      ? h('ul', { class: 'cards' }, entries.map((e) => h('li', { class: 'card' },
        h('a', { href: e.href, class: 'card-link' }, h('span', { class: 'card-title' }, t(e.label)), e.description ? h('span', { class: 'card-text' }, t(e.description)) : null))))
      : h('p', { class: 'notice' }, t('home.nothing')));
}
