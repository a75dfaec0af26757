// Starts GraphiQL from files Beacon serves itself (see pages.py): no CDN, no inline script.
// A token pasted in the headers pane ({"Authorization": "Bearer …"}) is kept in this tab only.
/* global React, ReactDOM, GraphiQL, GraphiQLPluginExplorer */

(function start() {
  const EXAMPLE = [
    '# Beacon GraphiQL: write a query on the left, run it with Ctrl-Enter.',
    '# Sign in with the login mutation, then put the token in the Headers pane:',
    '#   {"Authorization": "Bearer <token>"}',
    '',
    'query PublishedLessons {',
    '  lessons(first: 5) {',
    '    totalCount',
    '    edges { node { id title section publishedAt } }',
    '  }',
    '}',
    '',
  ].join('\n');

  const params = new URLSearchParams(window.location.search);
  const url = window.location.origin + window.location.pathname;
  const socket = new URL(url);
  socket.protocol = socket.protocol === 'https:' ? 'wss:' : 'ws:';

  const fetcher = GraphiQL.createFetcher({ url, subscriptionUrl: socket.toString() });
  const explorer = GraphiQLPluginExplorer.explorerPlugin();

  function remember(name, value) {
    if (value) params.set(name, value);
    else params.delete(name);
    history.replaceState(null, '', `?${params.toString()}`);
  }

  function App() {
    return React.createElement(GraphiQL, {
      fetcher,
      plugins: [explorer],
      defaultQuery: EXAMPLE,
      query: params.get('query') || undefined,
      variables: params.get('variables') || undefined,
      onEditQuery: (value) => remember('query', value),
      onEditVariables: (value) => remember('variables', value),
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
    });
  }

  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(App));
})();
