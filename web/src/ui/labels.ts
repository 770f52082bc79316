// Names people read for the API's codes, where more than one page shows them.
import type { Role } from '../../../server/contracts/user.contract.ts';

export const ROLE_NAMES: Record<Role, string> = {
  projectleider: 'Projectleider',
  bestuur: 'Bestuur',
  organisatie: 'Organisatie',
};
