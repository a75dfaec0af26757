// The frame around every page: skip link, header with navigation by role, language switch, the
// signed-in person with sign-out, the connection banner, the main region and the toasts.
// At phone width the navigation folds behind a menu button.

import { h } from '../lib/dom.js';
import { t, locale, setLocale } from '../lib/i18n.js';
import { getUser, hasRole } from '../lib/session.js';
import { isLost, onConnectionChange } from '../lib/connection.js';
import { currentLocation } from '../lib/router.js';
import { toastRegion } from './toast.js';

export function createShell({ nav, onSignOut }) {
  const main = h('main', { id: 'main', tabindex: '-1', class: 'main' });
  const banner = h('div', { class: 'banner banner-offline', role: 'status', hidden: !isLost() },
    h('span', { class: 'banner-dot', 'aria-hidden': 'true' }), t('connection.lost'));
  onConnectionChange((lost) => {
    banner.hidden = !lost;
  });
  const navList = h('ul', { class: 'nav-list', id: 'nav-list' });
  const menuButton = h('button', {
    type: 'button', class: 'btn btn-ghost nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'nav-list',
    onclick: () => {
      const open = menuButton.getAttribute('aria-expanded') !== 'true';
      menuButton.setAttribute('aria-expanded', String(open));
      navList.classList.toggle('open', open);
    },
  }, t('shell.menu'));
  const languageButton = h('button', {
    type: 'button', class: 'btn btn-ghost', lang: locale() === 'zh-CN' ? 'en' : 'zh-CN',
    onclick: () => setLocale(locale() === 'zh-CN' ? 'en' : 'zh-CN'),
  }, locale() === 'zh-CN' ? 'English' : '中文');
  const user = getUser();
  const header = h('header', { class: 'header' },
    h('a', { href: '#/', class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '◆'), t('shell.brand')),
    user ? menuButton : null,
    user ? h('nav', { class: 'nav', 'aria-label': t('shell.navigation') }, navList) : null,
    h('div', { class: 'header-tools' },
      languageButton,
      user ? h('span', { class: 'user-name' }, user.displayName || user.username) : null,
      user ? h('button', { type: 'button', class: 'btn btn-ghost', onclick: onSignOut }, t('shell.signOut')) : null));
  for (const item of nav.filter((entry) => !entry.roles?.length || hasRole(...entry.roles))) {
    navList.append(h('li', {}, h('a', { href: item.href, 'data-nav': item.href }, t(item.label))));
  }
  const root = h('div', { class: 'shell' },
    h('a', { href: '#main', class: 'skip-link', onclick: (event) => { event.preventDefault(); main.focus(); } }, t('shell.skip')),
    header, banner, main, toastRegion());
  return {
    root,
    main,
    /** Mark the navigation entry of the current page and close the phone menu. */
    update() {
      const { path } = currentLocation();
      let best = null;
      for (const link of navList.querySelectorAll('a')) {
        link.removeAttribute('aria-current');
        const target = link.dataset.nav.replace(/^#/, '');
        if ((path === target || path.startsWith(`${target}/`)) && (!best || target.length > best.dataset.nav.length - 1)) best = link;
      }
      best?.setAttribute('aria-current', 'page');
      menuButton.setAttribute('aria-expanded', 'false');
      navList.classList.remove('open');
    },
  };
}

/** A page's heading row: title, optional actions. */
export function pageHeader(title, ...actions) {
  return h('div', { class: 'page-header' }, h('h1', { tabindex: '-1', class: 'page-title' }, title), actions.length ? h('div', { class: 'page-actions' }, actions) : null);
}

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

export function errorBox(message) {
  return h('div', { class: 'error-box', role: 'alert' }, message);
}
