// The core area: sign-in, the landing page, one's own password, and messages shared by every page.

import messages from './messages.js';

export default {
  id: 'core',
  messages,
  routes: [
    { path: '/sign-in', load: () => import('./signin.js'), public: true, title: 'signin.title' },
    { path: '/', load: () => import('./home.js'), title: 'nav.home' },
    { path: '/account/password', load: () => import('./password.js'), title: 'nav.password' },
  ],
  nav: [{ href: '#/', label: 'nav.home' }, { href: '#/account/password', label: 'nav.password' }],
};
