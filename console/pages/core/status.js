// Pages for a route that does not exist and for one the person's roles do not open.

import { h } from '../../lib/dom.js';
import { t } from '../../lib/i18n.js';
import { pageHeader } from '../../ui/shell.js';

export function notFound() {
  return h('div', { class: 'page' }, pageHeader(t('status.notFound')), h('p', {}, h('a', { href: '#/' }, t('status.home'))));
}

export function forbidden() {
  return h('div', { class: 'page' }, pageHeader(t('status.forbidden')), h('p', {}, t('status.forbiddenText')), h('p', {}, h('a', { href: '#/' }, t('status.home'))));
}
