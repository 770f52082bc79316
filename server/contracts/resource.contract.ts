import { z } from 'zod';
import { MEASURES, type MeasureKey } from '../domain/measures.ts';
import { idSchema, versionField } from './common.contract.ts';

/**
 * The "apothekerskast": resources per criterion of the model and/or per VPT measure, each a link
 * or a stored document. The criteria are those of the active model, known only when the app
 * starts: the input schemas are made for a list of criterion keys (`resourceLinkBody(keys)`).
 */

/** The document types an upload may be, recognised by content (server/files/sniff.ts). */
export const DOCUMENT_TYPES = ['pdf', 'docx', 'xlsx', 'pptx', 'odt'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** The largest document that is stored: 10 MB. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export const RESOURCE_KINDS = ['link', 'file'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

const MEASURE_KEYS = MEASURES.map((m) => m.key) as [MeasureKey, ...MeasureKey[]];

export const TITLE_MAX = 300;
export const DESCRIPTION_MAX = 2000;
export const URL_MAX = 2000;

const measureMessage = `kies een VPT-maatregel uit de lijst (${MEASURES.map((m) => m.name).join(', ')})`;

/** An absent or empty choice (an empty select, an empty form field) is "none". */
const emptyIsNone = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

function criterionField(criteria: readonly string[]) {
  const message =
    criteria.length === 0
      ? 'het schakelmodel heeft geen criteria; kies een maatregel'
      : `kies een criterium van het schakelmodel (${criteria.join(', ')})`;
  return z.preprocess(
    emptyIsNone,
    z
      .string({ error: message })
      .trim()
      .refine((v) => criteria.includes(v), { error: message })
      .optional(),
  );
}

const measureField = z.preprocess(
  emptyIsNone,
  z
    .string({ error: measureMessage })
    .trim()
    .refine((v): v is MeasureKey => (MEASURE_KEYS as readonly string[]).includes(v), {
      error: measureMessage,
    })
    .optional(),
);

const titleField = z
  .string({ error: 'geef een titel' })
  .trim()
  .min(1, 'geef een titel')
  .max(TITLE_MAX, `een titel is hoogstens ${TITLE_MAX} tekens`);

/** An empty description is none: on a change it clears the one there was. */
const descriptionField = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
  z
    .string({ error: 'geef een korte beschrijving als tekst, of laat het veld leeg' })
    .trim()
    .max(DESCRIPTION_MAX, `een beschrijving is hoogstens ${DESCRIPTION_MAX} tekens`)
    .nullable()
    .optional(),
);

/** Whether a text is an absolute http(s) address without a user name or password in it. */
export function isWebUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname !== '' &&
    url.username === '' &&
    url.password === ''
  );
}

const URL_MESSAGE =
  'geef een volledig webadres dat begint met https:// (of http://), zoals https://www.example.nl/protocol';

const urlField = z
  .string({ error: URL_MESSAGE })
  .trim()
  .min(1, URL_MESSAGE)
  .max(URL_MAX, `een webadres is hoogstens ${URL_MAX} tekens`)
  .refine(isWebUrl, { error: URL_MESSAGE })
  .transform((v) => new URL(v).href)
  .refine((v) => v.length <= URL_MAX, { error: `een webadres is hoogstens ${URL_MAX} tekens` });

const ABOUT_MESSAGE = 'kies een criterium of een VPT-maatregel (of allebei)';

/** What every resource says about itself: where it belongs, its title and description. */
function resourceFields(criteria: readonly string[]) {
  return {
    criterion: criterionField(criteria).meta({ description: 'Sleutel van een criterium, bijvoorbeeld "2a"' }),
    measure: measureField.meta({ description: `VPT-maatregel: ${MEASURE_KEYS.join(', ')}` }),
    title: titleField,
    description: descriptionField,
  };
}

/** A resource belongs to a criterion, a measure or both: refused next to the criterion field. */
function aboutSomething(
  value: { criterion?: string | undefined; measure?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (value.criterion === undefined && value.measure === undefined) {
    ctx.addIssue({ code: 'custom', path: ['criterion'], message: ABOUT_MESSAGE });
  }
}

/** The body of a new link. */
export function resourceLinkBody(criteria: readonly string[]) {
  return z
    .object({ ...resourceFields(criteria), url: urlField })
    .strict()
    .superRefine(aboutSomething)
    .meta({ id: 'NewResourceLink' });
}
export type ResourceLinkInput = z.output<ReturnType<typeof resourceLinkBody>>;

/** The text fields sent with an uploaded document (multipart form fields beside `file`). */
export function resourceUploadFields(criteria: readonly string[]) {
  return z.object(resourceFields(criteria)).strict().superRefine(aboutSomething);
}
export type ResourceUploadFields = z.output<ReturnType<typeof resourceUploadFields>>;

export const updateResourceBody = z
  .object({
    title: titleField.optional(),
    description: descriptionField,
    expectedVersion: z
      .number({ error: 'geef de versie die u het laatst zag (expectedVersion)' })
      .int()
      .positive()
      .meta({ description: versionField.description }),
  })
  .strict()
  .meta({ id: 'UpdateResource' });
export type ResourcePatch = z.output<typeof updateResourceBody>;

export const resourceQuery = z.object({
  criterion: z.preprocess(
    emptyIsNone,
    z.string().trim().max(20, 'een criterium is hoogstens 20 tekens').optional(),
  ),
  measure: measureField,
});
export type ResourceQuery = z.output<typeof resourceQuery>;

export const resourceParams = z.object({ id: idSchema });

export const resourceFileSchema = z.object({
  name: z.string().meta({ description: 'De naam waarmee het document is geüpload' }),
  type: z.enum(DOCUMENT_TYPES),
  contentType: z.string(),
  size: z.number().int().meta({ description: 'Grootte in bytes' }),
});

export const resourceSchema = z
  .object({
    id: z.number().int(),
    criterion: z.string().nullable(),
    measure: z.string().nullable(),
    title: z.string(),
    description: z.string().nullable(),
    kind: z.enum(RESOURCE_KINDS),
    url: z.string().nullable().meta({ description: 'Het webadres van een link; null bij een document' }),
    file: resourceFileSchema
      .nullable()
      .meta({ description: 'Het document (te downloaden via /api/resources/{id}/file); null bij een link' }),
    version: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'Resource' });
export type Resource = z.infer<typeof resourceSchema>;
