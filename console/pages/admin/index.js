// The administrators' area: users, API keys, organizations, the privacy notice's versions and
// the consultation audit log.

import messages from './messages.js';

const ADMINS = ['ADMIN'];

export default {
  id: 'admin',
  messages,
  roles: ADMINS,
  routes: [
    { path: '/admin/users', load: () => import('./users.js'), title: 'nav.users' },
    { path: '/admin/api-keys', load: () => import('./api-keys.js'), title: 'nav.apiKeys' },
    { path: '/admin/organizations', load: () => import('./organizations.js'), title: 'nav.organizations' },
    { path: '/admin/privacy', load: () => import('./privacy.js'), title: 'nav.privacy' },
    { path: '/admin/audit', load: () => import('./audit.js'), title: 'nav.audit' },
  ],
  nav: [
    { href: '#/admin/users', label: 'nav.users', description: 'navText.users', roles: ADMINS },
    { href: '#/admin/api-keys', label: 'nav.apiKeys', description: 'navText.apiKeys', roles: ADMINS },
    { href: '#/admin/organizations', label: 'nav.organizations', description: 'navText.organizations', roles: ADMINS },
    { href: '#/admin/privacy', label: 'nav.privacy', description: 'navText.privacy', roles: ADMINS },
    { href: '#/admin/audit', label: 'nav.audit', description: 'navText.audit', roles: ADMINS },
  ],
};
