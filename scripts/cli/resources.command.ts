import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { idSchema } from '../../server/contracts/common.contract.ts';
import {
  MAX_DOCUMENT_BYTES,
  type Resource,
  resourceLinkBody,
  resourceQuery,
} from '../../server/contracts/resource.contract.ts';
import { AppError, ValidationError } from '../../server/errors.ts';
import { tooLargeMessage } from '../../server/files/document.ts';
import * as resources from '../../server/services/resources.service.ts';
import type { CommandRun } from './commands.ts';
import { UsageError } from './io.ts';

const str = { type: 'string' } as const;
const json = { type: 'boolean' } as const;

const sizeFormat = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });

/** "1,2 MB", "35 kB", "800 bytes": as the pages show a document's size. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${sizeFormat.format(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${sizeFormat.format(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

/** Where a resource belongs: its criterion and/or measure. */
function placeOf(r: Resource): string {
  return [r.criterion && `criterium ${r.criterion}`, r.measure && `maatregel ${r.measure}`]
    .filter(Boolean)
    .join(', ');
}

/** One resource in a line: what it is and where it leads. */
export function resourceLine(r: Resource): string {
  const target = r.file ? `${r.file.name} (${r.file.type}, ${sizeText(r.file.size)})` : (r.url ?? '');
  return `${r.id}\t${placeOf(r)}\t${r.title}\t${target}`;
}

function print(io: CommandRun['io'], values: { json?: boolean }, data: unknown, human: () => string): void {
  io.stdout(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

/** A document from disk: its own name (without the folders of the path) and its bytes. */
async function readDocument(path: string): Promise<{ name: string; content: Buffer }> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw new ValidationError(
      `kan '${path}' niet lezen: ${(err as Error).message}`,
      undefined,
      'read_failed',
    );
  }
  // Refused before it is read: a file of a gigabyte is not taken into memory to be refused.
  if (size > MAX_DOCUMENT_BYTES) throw new AppError('file_too_large', 413, tooLargeMessage());
  try {
    return { name: basename(path), content: await readFile(path) };
  } catch (err) {
    throw new ValidationError(
      `kan '${path}' niet lezen: ${(err as Error).message}`,
      undefined,
      'read_failed',
    );
  }
}

/**
 * `resource add --criterion KEY --title T (--url URL | --file PATH) [--measure M] [--description T] [--json]`,
 * for the command table in commands.ts: `'resource add': command(resourceAddCommand)`.
 */
export const resourceAddCommand = {
  usage:
    'resource add --criterion KEY --title T (--url URL | --file PAD) [--measure M] [--description T] [--json]',
  summary:
    'een link of document (pdf, docx, xlsx, pptx, odt; hoogstens 10 MB) in de apothekerskast leggen, bij een criterium en/of maatregel',
  options: { criterion: str, measure: str, title: str, description: str, url: str, file: str, json },
  run: async (
    { ctx, io }: CommandRun,
    values: {
      criterion?: string;
      measure?: string;
      title?: string;
      description?: string;
      url?: string;
      file?: string;
      json?: boolean;
    },
  ): Promise<void> => {
    if (values.url !== undefined && values.file !== undefined)
      throw new UsageError('geef --url of --file, niet allebei');
    if (values.url === undefined && values.file === undefined)
      throw new UsageError('geef --url (een link) of --file (een document)');
    if (values.criterion === undefined && values.measure === undefined)
      throw new UsageError('geef --criterion of --measure (of allebei)');
    if (values.title === undefined) throw new UsageError('--title is verplicht');
    const fields = {
      criterion: values.criterion,
      measure: values.measure,
      title: values.title,
      description: values.description,
    };
    const created =
      values.url !== undefined
        ? await resources.addLink(
            ctx,
            resourceLinkBody(resources.criterionKeys(ctx.models.active)).parse({
              ...fields,
              url: values.url,
            }),
          )
        : await resources.addDocument(ctx, {
            fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
            file: await readDocument(values.file!),
          });
    print(io, values, created, () => `hulpmiddel ${created.id} toegevoegd\n${resourceLine(created)}`);
  },
} as const;

/** `resource list [--criterion KEY] [--measure M] [--json]`: `'resource list': command(resourceListCommand)`. */
export const resourceListCommand = {
  usage: 'resource list [--criterion KEY] [--measure M] [--json]',
  summary: 'de apothekerskast: links en documenten, eventueel van één criterium of maatregel',
  options: { criterion: str, measure: str, json },
  run: async (
    { ctx, io }: CommandRun,
    values: { criterion?: string; measure?: string; json?: boolean },
  ): Promise<void> => {
    const filter = resourceQuery.parse({ criterion: values.criterion, measure: values.measure });
    const list = await resources.listResources(ctx, filter);
    print(io, values, list, () =>
      list.length === 0
        ? 'de apothekerskast is leeg (resource add --criterion … --title … --url …)'
        : list.map(resourceLine).join('\n'),
    );
  },
} as const;

/** `resource remove ID [--json]`: `'resource remove': command(resourceRemoveCommand)`. */
export const resourceRemoveCommand = {
  usage: 'resource remove ID [--json]',
  summary: 'een hulpmiddel uit de apothekerskast halen (het blijft in de geschiedenis)',
  options: { json },
  positionals: 1,
  run: async ({ ctx, io }: CommandRun, values: { json?: boolean }, [raw]: string[]): Promise<void> => {
    if (raw === undefined) throw new UsageError('het id van het hulpmiddel ontbreekt');
    const parsed = idSchema.safeParse(raw);
    if (!parsed.success)
      throw new ValidationError(`'${raw}' is geen geldig id: gebruik een positief geheel getal`);
    await resources.removeResource(ctx, parsed.data);
    print(
      io,
      values,
      { id: parsed.data, removed: true },
      () => `hulpmiddel ${parsed.data} uit de apothekerskast gehaald`,
    );
  },
} as const;
