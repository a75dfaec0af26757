// Boot: register every area's messages and routes, check the stored session, draw the shell and
// render the current route. Pages are imported on first visit, so the first load stays small.

import { areas, navEntries } from './pages/index.js';
import { registerMessages, t, onLocaleChange } from './lib/i18n.js';
import * as router from './lib/router.js';
import * as session from './lib/session.js';
import { request } from './lib/api.js';
import { h } from './lib/dom.js';
import { createShell, loading, errorBox } from './ui/shell.js';
import { showSignInDialog } from './ui/signin-dialog.js';
import { notFound, forbidden } from './pages/core/status.js';

const VIEWER = `query ConsoleViewer { viewer { mustChangePassword user { id username displayName roles organization { id name timeZone } } } }`;
const PASSWORD_PAGE = '/account/password';

for (const area of areas) {
  registerMessages(area.messages);
  for (const route of area.routes) router.addRoute({ roles: area.roles || [], ...route });
}
session.setSignInHandler(showSignInDialog);

const app = document.getElementById('app');
let shell = null;
let shellUser = undefined;

function ensureShell() {
  const user = session.getUser();
  const key = user ? user.id : null;
  if (!shell || shellUser !== key) {
    shell = createShell({ nav: navEntries(), onSignOut: signOut });
    shellUser = key;
    app.replaceChildren(shell.root);
  }
  return shell;
}

async function signOut() {
  try {
    await request('mutation ConsoleLogout { logout { ok } }', {}, { retry: false });
  } catch { /* signed out locally whatever the server said */ }
  session.end();
  router.navigate('/sign-in', { replace: true });
}

async function renderRoute({ path, query, found, signal }) {
  const frame = ensureShell();
  frame.update();
  const main = frame.main;
  if (!found) {
    main.replaceChildren(notFound());
    return;
  }
  const { route, params } = found;
  if (!route.isPublic && !session.getToken()) {
    router.navigate(`/sign-in?next=${encodeURIComponent(path + (query.toString() ? `?${query}` : ''))}`, { replace: true });
    return;
  }
  // After an administrator reset the password, the person chooses their own before anything else.
  if (!route.isPublic && session.getUser()?.mustChangePassword && path !== PASSWORD_PAGE) {
    router.navigate(PASSWORD_PAGE, { replace: true });
    return;
  }
  if (route.roles.length && !session.hasRole(...route.roles)) {
    main.replaceChildren(forbidden());
    return;
  }
  main.replaceChildren(loading());
  // Busy until the page's module has loaded and rendered: assistive technology waits for it, and so
  // can anything that must not act on the page before (the browser tests' sign-in helper).
  main.setAttribute('aria-busy', 'true');
  let node;
  try {
    const module = await route.load();
    node = await module.default({ params, query, signal, path });
  } catch (error) {
    if (error?.name === 'AbortError' || signal.aborted) return;
    console.error(error);
    node = errorBox(`${t('form.failed')} ${error?.message || ''}`);
  }
  if (signal.aborted) return;
  main.replaceChildren(node);
  main.removeAttribute('aria-busy');
  document.title = `${route.title ? t(route.title) : ''}${route.title ? ' · ' : ''}${t('shell.brand')}`;
  // Focus what the page asks for (a form's first field), else its heading, so keyboard and
  // screen-reader users start on the new page rather than at the top of the document.
  const target = main.querySelector('[data-autofocus]') || main.querySelector('h1');
  target?.focus({ preventScroll: true });
}

async function boot() {
  if (session.getToken()) {
    try {
      const data = await request(VIEWER);
      if (data.viewer?.user) session.updateUser({ ...data.viewer.user, mustChangePassword: data.viewer.mustChangePassword });
      else {
        // An older server answers a bad token as anonymous rather than with 401.
        const previous = session.getUser();
        session.end();
        router.navigate(`/sign-in?reason=invalid${previous ? `&username=${encodeURIComponent(previous.username)}` : ''}`, { replace: true });
      }
    } catch (error) {
      app.replaceChildren(errorBox(`${t('form.failed')} ${error?.message || ''}`));
    }
  }
  session.onSessionChange(() => {
    const user = session.getUser();
    if ((user ? user.id : null) !== shellUser) router.render();
  });
  onLocaleChange(() => {
    shell = null;
    router.render();
  });
  router.start(renderRoute);
}

boot().catch((error) => {
  app.replaceChildren(h('p', { class: 'error-box', role: 'alert' }, String(error)));
});
