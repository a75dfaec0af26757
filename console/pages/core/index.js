// The core area: sign-in, the landing page, and messages shared by every page.

import messages from './messages.js';

export default {
  id: 'core',
  messages,
  routes: [
    { path: '/sign-in', load: () => import('./signin.js'), public: true, title: 'signin.title' },
    { path: '/', load: () => import('./home.js'), title: 'nav.home' },
  ],
  nav: [{ href: '#/', label: 'nav.home' }],
};
