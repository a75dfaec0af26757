// Who is signed in. The bearer token lives in sessionStorage (this tab only, gone when it closes),
// never in a cookie, so no other site can make the browser send it.

const TOKEN_KEY = 'beacon.console.token';
const USER_KEY = 'beacon.console.user';
const listeners = new Set();
let token = read(TOKEN_KEY);
let user = parse(read(USER_KEY));
let pendingSignIn = null;
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

/** Keep a fresh sign-in: the token and who it belongs to. */
export function start(newToken, newUser) {
  token = newToken;
  user = newUser;
  write(TOKEN_KEY, newToken);
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
  user = null;
  write(TOKEN_KEY, null);
  write(USER_KEY, null);
  notify();
}

/** The shell decides how to ask for a new sign-in (an overlay that keeps the page underneath). */
export function setSignInHandler(handler) {
  signInHandler = handler;
}

/**
 * The server refused the credential (expired, revoked, invalid, deactivated). Ask the person to
 * sign in again; resolves with the new token once they have, so the refused request can be re-sent.
 * Many requests failing at once share one prompt.
 */
export function credentialRefused(reason) {
  token = null;
  write(TOKEN_KEY, null);
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
export function resumeAfterSignIn(newToken, newUser) {
  start(newToken, newUser);
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
