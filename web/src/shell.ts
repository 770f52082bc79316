// The app's shared state: who is signed in, and how to move to another page. Kept apart from
// main.ts so pages can use it without importing the whole app.
import type { Session } from '../../server/contracts/auth.contract.ts';
import { useSession } from './api.ts';

let session: Session | null = null;
let navigateTo: (path: string) => void = (path) => {
  location.assign(path);
};
const listeners: Array<() => void> = [];

export function currentSession(): Session | null {
  return session;
}

export function setSession(next: Session | null): void {
  session = next;
  useSession(next);
  for (const listener of listeners) listener();
}

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
