import type { Session } from '../../server/contracts/auth.contract.ts';
import type { Role } from '../../server/contracts/user.contract.ts';
import { ENDED_TEXT } from './shell.ts';

export interface View {
  main: HTMLElement;
  session: Session | null;
  params: Record<string, string>;
  query: URLSearchParams;
  navigate: (path: string) => void;
  /** A page with unsaved work registers a check; leaving then asks first. */
  guardLeave: (hasUnsavedWork: () => boolean) => void;
}

export interface Route {
  path: string;
  title: string;
  /** Who may open it; `public` needs no session. */
  roles: Role[] | 'public';
  render: (view: View) => Promise<void> | void;
}

interface Compiled extends Route {
  pattern: RegExp;
  keys: string[];
}

const LEAVE_QUESTION = 'U heeft wijzigingen die nog niet zijn opgeslagen. Wilt u de pagina toch verlaten?';

/** Client-side routing with real paths: links and the back button work as on any website. */
export class Router {
  private readonly routes: Compiled[];
  private unsaved: (() => boolean) | null = null;
  private renders = 0;
  private current = '';

  constructor(
    routes: Route[],
    private main: HTMLElement,
    private readonly getSession: () => Session | null,
    private readonly homeOf: (session: Session | null) => string,
    private readonly onRendered: (route: Route) => void,
  ) {
    this.routes = routes.map((r) => {
      const keys: string[] = [];
      const pattern = new RegExp(
        `^${r.path.replace(/:([a-zA-Z]+)/g, (_m, key: string) => {
          keys.push(key);
          return '([^/]+)';
        })}/?$`,
      );
      return { ...r, pattern, keys };
    });
    window.addEventListener('popstate', () => {
      // Only the #fragment changed (the skip link, or back from it): still the same page.
      if (location.pathname + location.search === this.current) return;
      if (this.unsaved?.() && !window.confirm(LEAVE_QUESTION)) {
        history.pushState(null, '', this.current);
        return;
      }
      void this.render();
    });
    window.addEventListener('beforeunload', (event) => {
      if (this.unsaved?.()) event.preventDefault();
    });
    document.addEventListener('click', (event) => {
      const link = (event.target as Element | null)?.closest?.('a');
      if (!link || link.target || link.hasAttribute('download') || event.defaultPrevented) return;
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const url = new URL(link.href, location.href);
      if (
        url.origin !== location.origin ||
        url.pathname.startsWith('/api/') ||
        url.pathname.startsWith('/assets/') ||
        // A link within this page (the skip link "#main"): the browser moves there, no new page.
        (url.hash !== '' && url.pathname === location.pathname && url.search === location.search)
      )
        return;
      event.preventDefault();
      this.navigate(url.pathname + url.search);
    });
  }

  navigate(path: string, options: { replace?: boolean } = {}): void {
    if (this.unsaved?.() && !window.confirm(LEAVE_QUESTION)) return;
    this.unsaved = null;
    if (options.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    void this.render();
  }

  /**
   * Every page gets a fresh, empty <main>: a page still loading when another one is opened (a
   * quick back and forward) then finishes in the old, detached element, not inside the new page.
   */
  private freshMain(): void {
    const fresh = this.main.cloneNode(false) as HTMLElement;
    this.main.replaceWith(fresh);
    this.main = fresh;
  }

  async render(): Promise<void> {
    const seq = ++this.renders;
    this.unsaved = null;
    this.current = location.pathname + location.search;
    const session = this.getSession();
    const path = location.pathname === '/' ? this.homeOf(session) : location.pathname;
    if (path !== location.pathname) {
      history.replaceState(null, '', path);
      this.current = path;
    }
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.roles !== 'public') {
        if (!session) {
          this.navigate(`/inloggen?terug=${encodeURIComponent(path + location.search)}`, { replace: true });
          return;
        }
        if (!route.roles.includes(session.user.role)) {
          this.navigate(this.homeOf(session), { replace: true });
          return;
        }
      }
      const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(m[i + 1] ?? '')]));
      document.title = `${route.title} – VPT-schakelmodel`;
      this.freshMain();
      await route.render({
        main: this.main,
        session,
        params,
        query: new URLSearchParams(location.search),
        navigate: (p) => this.navigate(p),
        guardLeave: (check) => {
          if (seq === this.renders) this.unsaved = check;
        },
      });
      // Meanwhile another page was opened (a quick back and forward): that one has the focus.
      if (seq !== this.renders) return;
      this.onRendered(route);
      return;
    }
    document.title = 'Pagina niet gevonden – VPT-schakelmodel';
    this.freshMain();
    const h1 = document.createElement('h1');
    h1.textContent = 'Deze pagina bestaat niet';
    const p = document.createElement('p');
    const a = document.createElement('a');
    a.href = '/';
    a.textContent = 'Naar de startpagina';
    p.append(a);
    this.main.append(h1);
    if (path.startsWith('/s/')) {
      // The server shows this page for a share link that is revoked, expired or unknown: its
      // visitor has no account, so the way forward is a new link, not the login form.
      document.title = `${ENDED_TEXT.shareLinkTitle} – VPT-schakelmodel`;
      h1.textContent = ENDED_TEXT.shareLinkTitle;
      const why = document.createElement('p');
      why.textContent = ENDED_TEXT.shareLinkNext;
      this.main.append(why);
      // Like every page, the heading takes the focus (the page has a title of its own).
      h1.setAttribute('tabindex', '-1');
      h1.focus();
      return;
    }
    this.main.append(p);
  }
}
