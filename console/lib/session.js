// Who is signed in. The bearer token (and, for everyone but experts and admins, the refresh token
// that renews it: docs/api-guide.md, "Session expiry") lives in sessionStorage (this tab only, gone
// when it closes), never in a cookie, so no other site can make the browser send it.

const TOKEN_KEY = 'beacon.console.token';
const REFRESH_KEY = 'beacon.console.refresh';
const USER_KEY = 'beacon.console.user';
const listeners = new Set();
let token = read(TOKEN_KEY);
let refreshToken = read(REFRESH_KEY);
let user = parse(read(USER_KEY));
let pendingSignIn = null;
let pendingRefresh = null;
let signInHandler = null;

function read(key) {
  try { return sessionStorage.getItem(key); } catch { return null; }
}

function write(key, value) {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch { /* storage refused (private mode): the session lasts as long as the page */ }
}

function parse(text) {
  try { return text ? JSON.parse(text) : null; } catch { return null; }
}

function notify() {
  for (const listener of listeners) listener(user);
}

export function getToken() {
  return token;
}

export function getUser() {
  return user;
}

export function hasRole(...roles) {
  return Boolean(user?.roles?.some((role) => roles.includes(role)));
}

export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Keep a fresh sign-in: the token, its refresh token (null for staff) and who it belongs to. */
export function start(newToken, newUser, newRefreshToken = null) {
  token = newToken;
  refreshToken = newRefreshToken || null;
  user = newUser;
  write(TOKEN_KEY, newToken);
  write(REFRESH_KEY, refreshToken);
  write(USER_KEY, JSON.stringify(newUser));
  notify();
}

export function updateUser(newUser) {
  user = newUser;
  write(USER_KEY, JSON.stringify(newUser));
  notify();
}

export function end() {
  token = null;
  refreshToken = null;
  user = null;
  write(TOKEN_KEY, null);
  write(REFRESH_KEY, null);
  write(USER_KEY, null);
  notify();
}

const REFRESH = `mutation ConsoleRefreshSession($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) { token refreshToken errors { code } }
}`;

/**
 * Trade the refresh token for a new pair; resolves with the new token, or null when it cannot be
 * renewed (no refresh token, the session ended, the network failed). One refresh at a time: a
 * refresh token is good once, and a second use would end the session (docs/accounts.md).
 * Sent without Authorization: the expired token would be refused before it runs.
 */
function renew() {
  if (!refreshToken) return Promise.resolve(null);
  if (!pendingRefresh) {
    const spent = refreshToken;
    pendingRefresh = (async () => {
      try {
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ query: REFRESH, variables: { refreshToken: spent } }),
          credentials: 'omit',
        });
        const payload = (await response.json())?.data?.refreshSession;
        if (!payload?.token || payload.errors?.length) return null;
        if (refreshToken !== spent) return token; // signed in anew meanwhile
        token = payload.token;
        refreshToken = payload.refreshToken;
        write(TOKEN_KEY, token);
        write(REFRESH_KEY, refreshToken);
        notify(); // the same person: the socket reconnects with the new token, the page stays
        return token;
      } catch {
        return null;
      } finally {
        pendingRefresh = null;
      }
    })();
  }
  return pendingRefresh;
}

/** The shell decides how to ask for a new sign-in (an overlay that keeps the page underneath). */
export function setSignInHandler(handler) {
  signInHandler = handler;
}

/**
 * The server refused the credential `sent` (expired, revoked, invalid, deactivated); resolves with
 * the token to re-send the request with. If the session moved on since (another request renewed
 * it), that is the current token. An expired one is renewed once with the refresh token when
 * `mayRenew`. Otherwise, ask the person to sign in again; resolves once they have. Many requests
 * failing at once share one refresh and one prompt.
 */
export async function credentialRefused(reason, sent = null, { mayRenew = true } = {}) {
  if (sent && token && sent !== token) return token;
  if (reason === 'expired' && mayRenew && refreshToken) {
    const renewed = await renew();
    if (renewed) return renewed;
  }
  return askToSignIn(reason);
}

function askToSignIn(reason) {
  token = null;
  refreshToken = null;
  write(TOKEN_KEY, null);
  write(REFRESH_KEY, null);
  if (!pendingSignIn) {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    pendingSignIn = { promise, resolve, reject, reason };
    if (signInHandler) signInHandler(reason, user);
    else reject(new Error('signed out'));
  }
  return pendingSignIn.promise;
}

export function signInPending() {
  return pendingSignIn !== null;
}

/** The prompt succeeded: requests waiting on credentialRefused() go on with the new token. */
export function resumeAfterSignIn(newToken, newUser, newRefreshToken = null) {
  start(newToken, newUser, newRefreshToken);
  const waiting = pendingSignIn;
  pendingSignIn = null;
  waiting?.resolve(newToken);
}

/** The prompt was given up (or someone else signed in): waiting requests fail. */
export function abandonSignIn() {
  const waiting = pendingSignIn;
  pendingSignIn = null;
  waiting?.reject(new Error('signed out'));
}
