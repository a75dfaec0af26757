// Hash routes ("#/content/lessons/TGVzc29uOjE?tab=media"): the server serves one index.html and
// needs no knowledge of the console's pages. Each route names a lazily imported page module whose
// default export renders it: render(ctx) -> Node (or a Promise of one). ctx.signal is aborted when
// the person leaves the page, so pages stop their requests and live subscriptions there.

const routes = [];
let onRender = null;
let currentController = null;

/** path: "/content/lessons/:id"; load: () => import('./page.js'); roles: who may open it (empty: anyone signed in). */
export function addRoute({ path, load, roles = [], title = null, public: isPublic = false }) {
  const names = [];
  const pattern = new RegExp(
    '^' + path.replace(/\/:(\w+)/g, (_, name) => { names.push(name); return '/([^/]+)'; }) + '/?$',
  );
  routes.push({ path, pattern, names, load, roles, title, isPublic });
}

export function currentLocation() {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = hash.split('?');
  return { path, query: new URLSearchParams(search) };
}

export function match(path) {
  for (const route of routes) {
    const found = route.pattern.exec(path);
    if (found) {
      const params = {};
      route.names.forEach((name, i) => { params[name] = decodeURIComponent(found[i + 1]); });
      return { route, params };
    }
  }
  return null;
}

/** href('/content/lessons/:id', {id}) -> "#/content/lessons/…" */
export function href(path, params = {}, query = null) {
  const filled = path.replace(/:(\w+)/g, (_, name) => encodeURIComponent(params[name]));
  const search = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== null && v !== undefined && v !== '')).toString() : '';
  return `#${filled}${search ? `?${search}` : ''}`;
}

export function navigate(target, { replace = false } = {}) {
  const hashed = target.startsWith('#') ? target : `#${target}`;
  if (replace) {
    history.replaceState(null, '', hashed);
    render();
  } else if (window.location.hash === hashed) {
    render();
  } else {
    window.location.hash = hashed;
  }
}

/** Replace the query string of the current route without re-rendering (filters, paging). */
export function setQuery(values) {
  const { path, query } = currentLocation();
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === '') query.delete(key);
    else query.set(key, value);
  }
  const search = query.toString();
  history.replaceState(null, '', `#${path}${search ? `?${search}` : ''}`);
}

export function start(renderer) {
  onRender = renderer;
  window.addEventListener('hashchange', render);
  render();
}

/** Render the current route again (after sign-in, or when the language changes). */
export function render() {
  currentController?.abort(new DOMException('left the page', 'AbortError'));
  currentController = new AbortController();
  const location = currentLocation();
  const found = match(location.path);
  onRender?.({ ...location, found, signal: currentController.signal });
}
