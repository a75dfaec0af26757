// The organization report, for teachers (their own organization) and administrators (any).

import messages from './messages.js';

const READERS = ['TEACHER', 'ADMIN'];

export default {
  id: 'reports',
  messages,
  roles: READERS,
  routes: [{ path: '/report', load: () => import('./report.js'), title: 'nav.report' }],
  nav: [{ href: '#/report', label: 'nav.report', description: 'navText.report', roles: READERS }],
};
