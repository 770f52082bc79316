import type { Role } from '../db/schema.ts';

/** Who is making a request: a signed-in account, or a share link's read-only organisation view. */
export type Principal =
  | {
      kind: 'user';
      sessionId: number;
      csrfToken: string;
      userId: number;
      email: string;
      role: Role;
      organisationId: number | null;
    }
  | {
      kind: 'share';
      sessionId: number;
      csrfToken: string;
      shareLinkId: number;
      email: null;
      role: 'organisatie';
      organisationId: number;
    };

/** How a principal is named in the change history. */
export function actorName(p: Principal): string {
  return p.kind === 'user' ? p.email : `deellink ${p.shareLinkId}`;
}
