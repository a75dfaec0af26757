// The editors' area: content, media, question banks and quizzes (EDITOR and ADMIN).

import messages from './messages.js';
import { EDITORS } from './common.js';

export default {
  id: 'editors',
  messages,
  roles: EDITORS,
  routes: [
    { path: '/content', load: () => import('./content-list.js'), title: 'nav.content' },
  ],
  nav: [
    { href: '#/content', label: 'nav.content', description: 'navText.content', roles: EDITORS },
  ],
};
