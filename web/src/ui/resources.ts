// The "apothekerskast" beside a criterion: the region's links and documents that help to meet it
// (model protocols, the regional handreiking, best practices). Shown under each next step on the
// organisation's page and with each criterion on the quickscan page; managed on /apothekerskast.
import type { Resource } from '../../../server/contracts/resource.contract.ts';
import { measuresOfCriterion } from '../../../server/domain/measures.ts';
import { get } from '../api.ts';
import { h, visuallyHidden } from './dom.ts';

export type { Resource };

/** Every resource in the kast (without any document's bytes). */
export function loadResources(): Promise<Resource[]> {
  return get<Resource[]>('/api/resources');
}

/**
 * The resources of one criterion: those placed with it, and those placed only with a measure the
 * criterion belongs to (a handreiking on "melden" helps with every criterion about reporting).
 */
export function resourcesFor(
  resources: readonly Resource[],
  criterion: { key: string; measure: string },
): Resource[] {
  const measures: readonly string[] = measuresOfCriterion(criterion.measure);
  return resources.filter(
    (r) =>
      r.criterion === criterion.key ||
      (r.criterion === null && r.measure !== null && measures.includes(r.measure)),
  );
}

const sizeFormat = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });

/** "1,2 MB", "35 kB", "800 bytes". */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${sizeFormat.format(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${sizeFormat.format(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

/** The address a document downloads from. */
export function fileHref(resource: Pick<Resource, 'id'>): string {
  return `/api/resources/${resource.id}/file`;
}

/** "pdf, 1,2 MB" for a document; null for a link. */
export function fileText(resource: Resource): string | null {
  return resource.file ? `${resource.file.type}, ${sizeText(resource.file.size)}` : null;
}

/**
 * A resource's title as a link: a web address opens in a new tab without handing over this page
 * (noopener noreferrer); a document downloads (the server always sends it as an attachment).
 * The server only stores http(s) addresses; anything else is shown as plain text all the same.
 */
export function resourceLink(resource: Resource): HTMLElement {
  if (resource.file) {
    return h(
      'a',
      { href: fileHref(resource), download: resource.file.name, class: 'resource-file' },
      resource.title,
      ' ',
      h('span', { class: 'resource-meta' }, `(${fileText(resource)})`),
    );
  }
  if (resource.url && /^https?:\/\//i.test(resource.url)) {
    return h(
      'a',
      { href: resource.url, target: '_blank', rel: 'noopener noreferrer', class: 'resource-link' },
      resource.title,
      visuallyHidden(' (opent in een nieuw tabblad)'),
    );
  }
  return h('span', null, resource.title);
}

/**
 * A short list of resources (title as a link or download, and the description), or null when
 * there are none, so a page shows nothing rather than an empty heading.
 */
export function resourceList(
  resources: readonly Resource[],
  options: { heading?: string | null; headingLevel?: 'h3' | 'h4' | 'h5' } = {},
): HTMLElement | null {
  if (resources.length === 0) return null;
  const heading = options.heading === undefined ? 'Uit de apothekerskast' : options.heading;
  return h(
    'div',
    { class: 'resources' },
    heading ? h(options.headingLevel ?? 'h4', { class: 'resources-title' }, heading) : null,
    h(
      'ul',
      { class: 'resource-list' },
      ...resources.map((r) =>
        h(
          'li',
          { 'data-resource': String(r.id) },
          resourceLink(r),
          r.description ? h('p', { class: 'resource-description' }, r.description) : null,
        ),
      ),
    ),
  );
}

/** The resources of one criterion as a list (see resourcesFor and resourceList); null when none. */
export function criterionResources(
  resources: readonly Resource[],
  criterion: { key: string; measure: string },
  options?: Parameters<typeof resourceList>[1],
): HTMLElement | null {
  return resourceList(resourcesFor(resources, criterion), options);
}
