import { renderAccount } from './pages/account.ts';
import { renderAccounts } from './pages/accounts.ts';
import { renderBoardSectors } from './pages/board-sectors.ts';
import { renderInvitation } from './pages/invitation.ts';
import { renderLogin } from './pages/login.ts';
import { renderMyGear } from './pages/my-gear.ts';
import { renderNewOrganisation, renderOrganisation, renderOrganisations } from './pages/organisations.ts';
import { renderOverview } from './pages/overview.ts';
import { renderQuarters } from './pages/quarters.ts';
import { renderQuickscan } from './pages/quickscan.ts';
import { renderSectors } from './pages/sectors.ts';
import type { Route } from './router.ts';

// The pages a person opens now and then come as chunks of their own: the entry stays small.

export const routes: Route[] = [
  { path: '/inloggen', title: 'Inloggen', roles: 'public', render: renderLogin },
  { path: '/uitnodiging', title: 'Wachtwoord kiezen', roles: 'public', render: renderInvitation },
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
    title: 'Kwartaalrapportage',
    roles: ['bestuur', 'projectleider'],
    render: (view) => import('./pages/board.ts').then((m) => m.renderBoard(view)),
  },
  { path: '/quickscan', title: 'Quickscan afnemen', roles: ['projectleider'], render: renderQuickscan },
  { path: '/mijn-versnelling', title: 'Mijn versnelling', roles: ['organisatie'], render: renderMyGear },
  { path: '/accounts', title: 'Accounts', roles: ['projectleider'], render: renderAccounts },
  {
    path: '/account',
    title: 'Mijn account',
    roles: ['projectleider', 'bestuur', 'organisatie'],
    render: renderAccount,
  },
  {
    path: '/wijzigingen',
    title: 'Wijzigingen',
    roles: ['projectleider'],
    render: (view) => import('./pages/changes.ts').then((m) => m.renderChanges(view)),
  },
  {
    path: '/import-export',
    title: 'Import/Export',
    roles: ['projectleider'],
    render: (view) => import('./pages/import-export.ts').then((m) => m.renderImportExport(view)),
  },
  {
    path: '/netwerk',
    title: 'Netwerk',
    roles: ['projectleider'],
    render: (view) => import('./pages/network.ts').then((m) => m.renderNetwork(view)),
  },
  {
    path: '/apothekerskast',
    title: 'Apothekerskast',
    roles: ['projectleider'],
    render: (view) => import('./pages/resources.ts').then((m) => m.renderResources(view)),
  },
  {
    path: '/uitkomsten',
    title: 'Incidenten, maatregelen en doelen',
    roles: ['bestuur', 'projectleider'],
    render: (view) => import('./pages/outcomes.ts').then((m) => m.renderOutcomes(view)),
  },
  {
    path: '/bestuur/sectoren',
    title: 'Sectoren per kwartaal',
    roles: ['bestuur', 'projectleider'],
    render: renderBoardSectors,
  },
  { path: '/organisaties', title: 'Organisaties', roles: ['projectleider'], render: renderOrganisations },
  {
    path: '/organisaties/nieuw',
    title: 'Organisatie toevoegen',
    roles: ['projectleider'],
    render: renderNewOrganisation,
  },
  { path: '/organisaties/:id', title: 'Organisatie', roles: ['projectleider'], render: renderOrganisation },
  { path: '/sectoren', title: 'Sectoren', roles: ['projectleider'], render: renderSectors },
  { path: '/kwartalen', title: 'Kwartalen vaststellen', roles: ['projectleider'], render: renderQuarters },
];
