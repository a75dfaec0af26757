// The experts' area: their consultation inbox (live), each thread with its help plan and visits,
// and their own directory profile. E-mail notices link to #/consultations/<id> (resolvers/integrations/notices.py).

import messages from './messages.js';

const EXPERTS = ['EXPERT'];

export default {
  id: 'experts',
  messages,
  roles: EXPERTS,
  routes: [
    { path: '/inbox', load: () => import('./inbox.js'), title: 'nav.inbox' },
    { path: '/consultations/:id', load: () => import('./thread.js'), title: 'nav.inbox' },
    { path: '/profile', load: () => import('./profile.js'), title: 'nav.profile' },
  ],
  nav: [
    { href: '#/inbox', label: 'nav.inbox', description: 'navText.inbox', roles: EXPERTS },
    { href: '#/profile', label: 'nav.profile', description: 'navText.profile', roles: EXPERTS },
  ],
};
