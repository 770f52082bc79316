import { renderLogin } from './pages/login.ts';
import { renderMyGear } from './pages/my-gear.ts';
import { renderOverview } from './pages/overview.ts';
import type { Route } from './router.ts';

export const routes: Route[] = [
  { path: '/inloggen', title: 'Inloggen', roles: 'public', render: renderLogin },
  {
    path: '/overzicht',
    title: 'Overzicht',
    roles: ['projectleider'],
    render: (view) =>
      renderOverview(view, {
        title: 'Overzicht',
        intro:
          'De gemiddelde versnelling van de regio en de sectoren, en welke leden dit kwartaal nog een quickscan krijgen.',
      }),
  },
  {
    path: '/bestuur',
    title: 'Dashboard',
    roles: ['bestuur', 'projectleider'],
    render: (view) =>
      renderOverview(view, {
        title: 'Dashboard van de regio',
        intro: 'De stand van het agressiebeleid van de aangesloten organisaties, per kwartaal.',
      }),
  },
  { path: '/mijn-versnelling', title: 'Mijn versnelling', roles: ['organisatie'], render: renderMyGear },
];
