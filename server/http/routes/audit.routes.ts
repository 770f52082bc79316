import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '../../errors.ts';
import { revisions } from '../../services/revisions.service.ts';
import { contextOf } from '../context.ts';
import { idSchema, readErrors } from '../schemas/common.schemas.ts';
import { revisionSchema } from '../schemas/organisations.schemas.ts';

const dateOrTime = z
  .string()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)), {
    error: 'gebruik een datum als JJJJ-MM-DD of een ISO-tijdstip',
  });

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      config: { access: 'projectleider' },
      schema: {
        tags: ['wijzigingen'],
        summary:
          'De wijzigingsgeschiedenis met voor en na: wie veranderde wat, wanneer; te filteren op organisatie en periode',
        querystring: z.object({
          organisationId: idSchema.optional(),
          entity: z.enum(['sector', 'organisation', 'quickscan', 'user', 'share_link']).optional(),
          from: dateOrTime.optional().meta({ description: 'vanaf (inclusief), datum of tijdstip' }),
          to: dateOrTime.optional().meta({ description: 'tot en met deze datum, of tot dit tijdstip' }),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { ...readErrors, 200: z.object({ items: z.array(revisionSchema) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const since = q.from ? new Date(q.from).toISOString() : undefined;
      // A bare date as `to` includes that whole day.
      const until = q.to
        ? new Date(Date.parse(q.to) + (/^\d{4}-\d{2}-\d{2}$/.test(q.to) ? 86_400_000 : 1)).toISOString()
        : undefined;
      if (since && until && until <= since) {
        throw new ValidationError(
          'de periode loopt achteruit: "to" ligt vóór "from"',
          undefined,
          'reversed_period',
        );
      }
      const items = await revisions(contextOf(request), {
        ...(q.organisationId !== undefined ? { organisationId: q.organisationId } : {}),
        ...(q.entity ? { entity: q.entity } : {}),
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
        limit: q.limit,
        offset: q.offset,
      });
      return { items };
    },
  );
};
