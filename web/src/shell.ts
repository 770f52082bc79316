// The app's shared state: who is signed in, and how to move to another page. Kept apart from
// main.ts so pages can use it without importing the whole app.
import type { Session } from '../../server/contracts/auth.contract.ts';
import { onSessionGone, useSession } from './api.ts';
import { h, notice } from './ui/dom.ts';

/** The words about a session that ended, kept together. */
export const ENDED_TEXT = {
  session: 'Uw sessie is verlopen of beëindigd.',
  sessionNext: 'Log opnieuw in; daarna komt u terug op deze pagina.',
  loginNext: 'Log opnieuw in om verder te gaan.',
  login: 'Opnieuw inloggen',
  shareLinkTitle: 'Deze deellink is ingetrokken of verlopen',
  shareLinkNext: 'Vraag de projectleider om een nieuwe.',
  accountInstead: 'Inloggen met een account',
  // For the page's own message next to what failed (the server's words, lower case).
  sessionRefusal: 'uw sessie is verlopen of beëindigd; log opnieuw in via de melding bovenaan de pagina',
  shareLinkRefusal: 'deze deellink is ingetrokken of verlopen',
} as const;

// What the last session in this tab was, so that a page opened after it ended (a reload) can say
// so instead of showing a bare login form. Per tab: a new tab starts afresh.
const LAST_SESSION_KEY = 'vpt-laatste-sessie';

let session: Session | null = null;
let ended: Session['via'] | null = null;
let navigateTo: (path: string) => void = (path) => {
  location.assign(path);
};
const listeners: Array<() => void> = [];

export function currentSession(): Session | null {
  return session;
}

export function setSession(next: Session | null): void {
  if (next) {
    ended = null;
    remember(next.via);
  } else if (session) {
    // Signing out on purpose: nothing ended unexpectedly.
    ended = null;
    remember(null);
  } else if (ended === null) {
    // The first look at the session finds none where this tab had one: it ended in between.
    ended = lastSession();
  }
  session = next;
  useSession(next);
  for (const listener of listeners) listener();
}

/** How the session that ended unexpectedly was signed in, or null when none did. */
export function endedSession(): Session['via'] | null {
  return ended;
}

/** Forgets an ended session, for example when the visitor chooses to sign in with an account. */
export function forgetEndedSession(): void {
  ended = null;
  remember(null);
}

function remember(via: Session['via'] | null): void {
  try {
    if (via) sessionStorage.setItem(LAST_SESSION_KEY, via);
    else sessionStorage.removeItem(LAST_SESSION_KEY);
  } catch {
    // Storage switched off: the pages then show the login form as before.
  }
}

function lastSession(): Session['via'] | null {
  try {
    const via = sessionStorage.getItem(LAST_SESSION_KEY);
    return via === 'account' || via === 'deellink' ? via : null;
  } catch {
    return null;
  }
}

/** Where to sign in and come back to the page that is open now. */
export function loginHref(): string {
  return `/inloggen?terug=${encodeURIComponent(location.pathname + location.search)}`;
}

/**
 * The server ended the session while a page was open (idle too long, signed out elsewhere, account
 * disabled, share link revoked): the header forgets it and the page says so at the top, with the
 * way forward, and keeps what is on it.
 */
function sessionEnded(): string | null {
  if (!session) {
    // A second request refused after the first one said so: the same words.
    if (ended === 'deellink') return ENDED_TEXT.shareLinkRefusal;
    return ended === 'account' ? ENDED_TEXT.sessionRefusal : null;
  }
  const via = session.via;
  const refusal = via === 'deellink' ? ENDED_TEXT.shareLinkRefusal : ENDED_TEXT.sessionRefusal;
  session = null;
  ended = via;
  useSession(null);
  for (const listener of listeners) listener();
  const main = document.querySelector('main');
  if (!main || main.querySelector('.session-ended')) return refusal;
  const link = h('a', { href: loginHref() }, ENDED_TEXT.login);
  const message =
    via === 'deellink'
      ? notice('error', `${ENDED_TEXT.shareLinkTitle}. ${ENDED_TEXT.shareLinkNext}`)
      : notice('error', `${ENDED_TEXT.session} ${ENDED_TEXT.sessionNext} `, link);
  message.classList.add('session-ended');
  main.prepend(message);
  if (via === 'deellink') {
    message.setAttribute('tabindex', '-1');
    message.focus();
  } else link.focus();
  return refusal;
}

onSessionGone(sessionEnded);

export function onSessionChange(listener: () => void): void {
  listeners.push(listener);
}

export function setNavigator(navigate: (path: string) => void): void {
  navigateTo = navigate;
}

export function goTo(path: string): void {
  navigateTo(path);
}

/** The start page of each role. */
export function homeOf(s: Session | null): string {
  if (!s) return '/inloggen';
  return s.user.role === 'projectleider'
    ? '/overzicht'
    : s.user.role === 'bestuur'
      ? '/bestuur'
      : '/mijn-versnelling';
}

/** The page where an account sets up its own security (two-factor sign-in); a share link has none. */
export const ACCOUNT_PAGE = { href: '/account', label: 'Mijn account' } as const;
