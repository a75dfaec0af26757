// Whether the server can be reached. The API client and the graphql-ws client report here; the
// shell shows a banner while it is lost and hides it when they recover (they retry by themselves).

const listeners = new Set();
let lost = false;

export function isLost() {
  return lost;
}

export function reportLost() {
  if (lost) return;
  lost = true;
  for (const listener of listeners) listener(lost);
}

export function reportOk() {
  if (!lost) return;
  lost = false;
  for (const listener of listeners) listener(lost);
}

export function onConnectionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
