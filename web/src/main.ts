import type { CurrentSession } from '../../server/contracts/auth.contract.ts';
import type { Role } from '../../server/contracts/user.contract.ts';
import { get, onClosedQuarter, post } from './api.ts';
import { Router } from './router.ts';
import { routes } from './routes.ts';
import { ACCOUNT_PAGE, currentSession, homeOf, onSessionChange, setNavigator, setSession } from './shell.ts';
import { button, h, replace } from './ui/dom.ts';
import { applyGearPalette } from './ui/gear-colours.ts';
import { askRestatementReason } from './ui/reason-dialog.ts';
// Registers the dialog that signs in again when a write finds its session ended or replaced.
import './ui/sign-in-dialog.ts';

applyGearPalette();
onClosedQuarter(askRestatementReason);

const NAV: Record<Role, Array<[string, string]>> = {
  projectleider: [
    ['/overzicht', 'Overzicht'],
    ['/bestuur', 'Kwartaalrapportage'],
    ['/organisaties', 'Organisaties'],
    ['/quickscan', 'Quickscan afnemen'],
    ['/sectoren', 'Sectoren'],
    ['/kwartalen', 'Kwartalen'],
    ['/netwerk', 'Netwerk'],
    ['/apothekerskast', 'Apothekerskast'],
    ['/uitkomsten', 'Uitkomsten'],
    ['/accounts', 'Accounts'],
    ['/wijzigingen', 'Wijzigingen'],
    ['/import-export', 'Import/Export'],
  ],
  bestuur: [
    ['/bestuur', 'Kwartaalrapportage'],
    ['/bestuur/sectoren', 'Sectoren per kwartaal'],
    ['/uitkomsten', 'Incidenten en doelen'],
  ],
  organisatie: [['/mijn-versnelling', 'Mijn versnelling']],
};

const header = document.querySelector('header.top') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const account = document.getElementById('account') as HTMLElement;
const menu = document.getElementById('menu') as HTMLElement;
const menuToggle = document.getElementById('menu-toggle') as HTMLButtonElement;

// On a phone the menu and the account links fold away behind a "Menu" button (app.css shows the
// button only on a narrow screen); on a wider screen they are always there.
function setMenuOpen(open: boolean): void {
  menuToggle.setAttribute('aria-expanded', String(open));
  header.classList.toggle('menu-open', open);
}
menuToggle.addEventListener('click', () => setMenuOpen(menuToggle.getAttribute('aria-expanded') !== 'true'));
menu.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape' || menuToggle.getAttribute('aria-expanded') !== 'true') return;
  setMenuOpen(false);
  if (getComputedStyle(menuToggle).display !== 'none') menuToggle.focus();
});

/** Only the pages that exist are offered. */
const available = new Set(routes.map((r) => r.path));

function renderHeader(): void {
  const session = currentSession();
  const links = session ? NAV[session.user.role].filter(([href]) => available.has(href)) : [];
  replace(
    nav,
    links.length
      ? h('ul', null, ...links.map(([href, label]) => h('li', null, h('a', { href }, label))))
      : null,
  );
  replace(
    account,
    session
      ? [
          h(
            'span',
            { class: 'who' },
            session.via === 'deellink' ? 'Via deellink (alleen lezen)' : (session.user.email ?? ''),
          ),
          session.via === 'deellink' ? null : h('a', { href: ACCOUNT_PAGE.href }, ACCOUNT_PAGE.label),
          button('Uitloggen', () => void logout(), { class: 'link' }),
        ]
      : null,
  );
  // Nothing to fold away before signing in.
  menuToggle.hidden = !session;
  setMenuOpen(false);
  markCurrent();
}

function markCurrent(): void {
  for (const a of nav.querySelectorAll('a')) {
    const href = a.getAttribute('href') ?? '';
    if (location.pathname === href) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

const router = new Router(
  routes,
  document.getElementById('main') as HTMLElement,
  currentSession,
  homeOf,
  () => {
    markCurrent();
    // A link chosen in the opened menu leads to the page: the menu folds away again.
    setMenuOpen(false);
    // Focus the page's heading, so keyboard and screen-reader users start at the top of the new page.
    // The router gives every page a fresh <main>: look it up, do not keep it.
    const heading = document.querySelector<HTMLElement>('main h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  },
);
setNavigator((path) => router.navigate(path));
onSessionChange(renderHeader);

async function logout(): Promise<void> {
  try {
    await post('/api/auth/logout');
  } catch {
    // The session may already be gone; either way the person is signed out here.
  }
  setSession(null);
  router.navigate('/inloggen');
}

async function start(): Promise<void> {
  setSession((await get<CurrentSession>('/api/auth/session')).session);
  await router.render();
}

start().catch((err: unknown) => {
  replace(
    document.getElementById('main') as HTMLElement,
    h('h1', null, 'Er ging iets mis'),
    h('p', { role: 'alert' }, err instanceof Error ? err.message : String(err)),
  );
});
