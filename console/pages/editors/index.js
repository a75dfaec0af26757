// The editors' area: content, media, question banks and quizzes (EDITOR and ADMIN).

import messages from './messages.js';
import { EDITORS } from './common.js';

export default {
  id: 'editors',
  messages,
  roles: EDITORS,
  routes: [
    { path: '/content', load: () => import('./content-list.js'), title: 'nav.content' },
    { path: '/content/lessons/:id', load: () => import('./content-editor.js'), title: 'nav.content' },
    { path: '/content/stories/:id', load: () => import('./content-editor.js'), title: 'nav.content' },
    { path: '/media', load: () => import('./media.js'), title: 'nav.media' },
    { path: '/media/:id', load: () => import('./media-asset.js'), title: 'nav.media' },
    { path: '/banks', load: () => import('./banks.js'), title: 'nav.banks' },
    { path: '/banks/:id', load: () => import('./banks.js'), title: 'nav.banks' },
    { path: '/banks/:bank/questions/:id', load: () => import('./question-editor.js'), title: 'nav.banks' },
    { path: '/quizzes', load: () => import('./quizzes.js'), title: 'nav.quizzes' },
    { path: '/quizzes/:id', load: () => import('./quizzes.js'), title: 'nav.quizzes' },
    { path: '/quizzes/:id/stats', load: () => import('./quiz-stats.js'), title: 'nav.quizzes' },
  ],
  nav: [
    { href: '#/content', label: 'nav.content', description: 'navText.content', roles: EDITORS },
    { href: '#/media', label: 'nav.media', description: 'navText.media', roles: EDITORS },
    { href: '#/banks', label: 'nav.banks', description: 'navText.banks', roles: EDITORS },
    { href: '#/quizzes', label: 'nav.quizzes', description: 'navText.quizzes', roles: EDITORS },
  ],
};
