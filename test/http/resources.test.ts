// The "apothekerskast" (issue 13, item 3): resources per criterion and per measure, each a link or a
// stored document (pdf, docx, xlsx, pptx, odt; at most 10 MB; the type read from the content, the
// name a plain file name); served as an attachment with its type and nosniff; read by every
// signed-in role, share links included; managed by the projectleider; removal kept in history.
import type { LightMyRequestResponse } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Resource } from '../../server/contracts/resource.contract.ts';
import {
  EXE_BYTES,
  minimalDocx,
  minimalOdt,
  minimalPdf,
  minimalPptx,
  PNG_BYTES,
  realXlsx,
  zip,
} from '../files/documents.ts';
import { testAppPerTest } from '../helpers.ts';
import {
  type Client,
  call,
  createOrg,
  expectError,
  expectFieldError,
  injectAs,
  type Organisation,
  openShareLink,
  problemsOf,
} from './fixtures.ts';

const t = testAppPerTest();

let uploads = 0;

/** A multipart/form-data body by hand, as a browser sends a form with a file input (quotes escaped). */
function multipart(
  fields: Record<string, string>,
  file: { name: string; content: Buffer; field?: string } | null,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----vpt-kast-${++uploads}-grens`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        'utf8',
      ),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name.replaceAll('"', '\\"')}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
        'utf8',
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

function upload(
  name: string,
  content: Buffer,
  fields: Record<string, string> = { criterion: '2a', title: 'Modelprotocol' },
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: '/api/resources/upload',
    ...multipart(fields, { name, content }),
  });
}

async function uploaded(name: string, content: Buffer, fields?: Record<string, string>): Promise<Resource> {
  const res = await upload(name, content, fields);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Resource;
}

function addLink(payload: object): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url: '/api/resources', payload });
}

async function list(query = ''): Promise<Resource[]> {
  return call<Resource[]>(t.app, { method: 'GET', url: `/api/resources${query}` }, 200);
}

describe('links', () => {
  it('when the projectleider adds a link to a criterion, then the list shows it and filters by criterion and measure', async () => {
    // Act
    const res = await addLink({
      criterion: '2a',
      title: 'Modelprotocol agressie en geweld',
      description: 'Het landelijke voorbeeld, aan te passen aan de eigen organisatie',
      url: 'https://www.example.nl/vpt/modelprotocol',
    });
    await addLink({
      measure: 'aangifte',
      title: 'Aangifte onder nummer',
      url: 'http://example.org/aangifte',
    });

    // Assert
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      criterion: '2a',
      measure: null,
      kind: 'link',
      url: 'https://www.example.nl/vpt/modelprotocol',
      file: null,
      version: 1,
      createdBy: expect.stringContaining('projectleider'),
    });
    expect((await list()).map((r) => r.title)).toEqual([
      'Aangifte onder nummer',
      'Modelprotocol agressie en geweld',
    ]);
    expect((await list('?criterion=2a')).map((r) => r.title)).toEqual(['Modelprotocol agressie en geweld']);
    expect((await list('?measure=aangifte')).map((r) => r.title)).toEqual(['Aangifte onder nummer']);
    expect(await list('?criterion=3b')).toEqual([]);
  });

  for (const url of [
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://example.org/x.pdf',
    '//example.org/zonder-schema',
    'www.example.nl',
    'https://gebruiker:geheim@example.org/',
  ]) {
    it(`when the address is ${url}, then it is refused next to the url field`, async () => {
      const body = expectFieldError(
        await addLink({ criterion: '2a', title: 'Link', url }),
        400,
        'validation_failed',
        'url',
      );
      expect(body.error.message).toMatch(/https:\/\//);
    });
  }

  it('when several fields are wrong, then every problem comes back at once, each next to its field, in Dutch', async () => {
    // Act
    const res = await addLink({ criterion: '9z', measure: 'dansen', title: '  ', url: 'javascript:void(0)' });

    // Assert
    const body = expectError(res, 400, 'validation_failed');
    const paths = problemsOf(body).map((p) => p.path);
    expect(paths.sort()).toEqual(['criterion', 'measure', 'title', 'url']);
    const byPath = Object.fromEntries(problemsOf(body).map((p) => [p.path, p.message]));
    expect(byPath.criterion).toMatch(/kies een criterium van het schakelmodel \(2a, 2b/);
    expect(byPath.measure).toMatch(/kies een VPT-maatregel/);
    expect(byPath.title).toBe('geef een titel');
  });

  it('when a link belongs to neither a criterion nor a measure, then it is refused next to the criterion', async () => {
    expectFieldError(
      await addLink({ criterion: '', title: 'Los', url: 'https://example.org/' }),
      400,
      'validation_failed',
      'criterion',
    );
  });

  it('when the projectleider changes the title, then the version goes up, an old version is refused and an empty description clears it', async () => {
    // Arrange
    const created = (
      await addLink({ criterion: '3b', title: 'Training', url: 'https://example.org/t' })
    ).json() as Resource;

    // Act
    const changed = await call<Resource>(
      t.app,
      {
        method: 'PATCH',
        url: `/api/resources/${created.id}`,
        payload: { title: 'Training de-escalatie', description: 'Twee dagdelen', expectedVersion: 1 },
      },
      200,
    );
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/resources/${created.id}`,
      payload: { title: 'Iets anders', expectedVersion: 1 },
    });
    const cleared = await call<Resource>(
      t.app,
      {
        method: 'PATCH',
        url: `/api/resources/${created.id}`,
        payload: { description: '', expectedVersion: 2 },
      },
      200,
    );

    // Assert
    expect(cleared).toMatchObject({ title: 'Training de-escalatie', description: null, version: 3 });
    expect(changed).toMatchObject({
      title: 'Training de-escalatie',
      description: 'Twee dagdelen',
      version: 2,
    });
    expectError(stale, 409, 'version_conflict');
    expect((await list())[0]!.title).toBe('Training de-escalatie');
  });
});

describe('documents', () => {
  it('when a real pdf is uploaded, then it is stored with its type and size and downloads as an attachment with the exact bytes', async () => {
    // Arrange
    const pdf = minimalPdf();

    // Act
    const created = await uploaded('Modelprotocol.pdf', pdf, {
      criterion: '2a',
      measure: 'borging',
      title: 'Modelprotocol',
      description: 'Voorbeeld van een vastgesteld protocol',
    });
    const download = await t.app.inject({ method: 'GET', url: `/api/resources/${created.id}/file` });

    // Assert
    expect(created).toMatchObject({
      kind: 'file',
      url: null,
      criterion: '2a',
      measure: 'borging',
      file: { name: 'Modelprotocol.pdf', type: 'pdf', contentType: 'application/pdf', size: pdf.length },
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="Modelprotocol.pdf"; filename*=UTF-8''Modelprotocol.pdf`,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(String(download.headers['cache-control'])).toMatch(/no-store/);
    expect(download.rawPayload.equals(pdf)).toBe(true);
  });

  it('when the list is read, then it never carries the bytes of a document', async () => {
    await uploaded('protocol.pdf', minimalPdf());
    const res = await t.app.inject({ method: 'GET', url: '/api/resources' });
    expect(res.body).not.toContain('%PDF');
    expect(res.body).not.toContain('content"');
  });

  it('when a docx, xlsx, pptx and odt are uploaded, then each is recognised by its content and served with its own type', async () => {
    // Arrange
    const files: Array<[string, Buffer, string, string]> = [
      [
        'Handreiking.docx',
        minimalDocx(),
        'docx',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ],
      [
        'Registratie.xlsx',
        await realXlsx(),
        'xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ],
      [
        'Presentatie.pptx',
        minimalPptx(),
        'pptx',
        'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      ],
      ['Nazorg.odt', minimalOdt(), 'odt', 'application/vnd.oasis.opendocument.text'],
    ];

    for (const [name, content, type, contentType] of files) {
      // Act
      const created = await uploaded(name, content, { measure: 'opvang', title: name });
      const download = await t.app.inject({ method: 'GET', url: `/api/resources/${created.id}/file` });

      // Assert
      expect(created.file, name).toEqual({ name, type, contentType, size: content.length });
      expect(download.headers['content-type'], name).toBe(contentType);
      expect(download.headers['content-disposition'], name).toMatch(/^attachment;/);
      expect(download.rawPayload.equals(content), name).toBe(true);
    }
  });

  it('when a name has other characters than ASCII or quotes, then the download header is still safe and exact', async () => {
    const name = 'Eénduidige "afspraken"; 100%.pdf';
    const created = await uploaded(name, minimalPdf());
    const download = await t.app.inject({ method: 'GET', url: `/api/resources/${created.id}/file` });
    expect(created.file?.name).toBe(name);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="E_nduidige _afspraken__ 100_.pdf"; filename*=UTF-8''E%C3%A9nduidige%20%22afspraken%22%3B%20100%25.pdf`,
    );
  });

  const wrongContent: Array<[string, string, () => Buffer, string]> = [
    ['a PNG image named .pdf', 'foto.pdf', () => PNG_BYTES, 'invalid_file_type'],
    ['a program renamed .docx', 'setup.docx', () => EXE_BYTES, 'invalid_file_type'],
    [
      'a zip without word/ named .docx',
      'archief.docx',
      () =>
        zip([
          { name: '[Content_Types].xml', data: '<Types/>' },
          { name: 'x/y.xml', data: '<x/>' },
        ]),
      'invalid_file_type',
    ],
    ['a pdf named .docx', 'protocol.docx', () => minimalPdf(), 'file_type_mismatch'],
    ['a Word document named .pdf', 'protocol.pdf', () => minimalDocx(), 'file_type_mismatch'],
    ['a pdf without an extension', 'protocol', () => minimalPdf(), 'file_type_mismatch'],
    ['an empty file', 'leeg.pdf', () => Buffer.alloc(0), 'invalid_file_type'],
  ];
  for (const [what, name, content, code] of wrongContent) {
    it(`when ${what} is uploaded, then it is refused next to the file (${code}) and nothing is stored`, async () => {
      const body = expectFieldError(await upload(name, content()), 400, code as never, 'file');
      expect(body.error.message).toMatch(/bestand|inhoud/);
      expect(await list()).toEqual([]);
    });
  }

  for (const name of [
    '../x.pdf',
    'a/b.pdf',
    'a\\b.pdf',
    'x\u0001.pdf',
    'x\u001b[31m.pdf',
    '.verborgen.pdf',
  ]) {
    it(`when the file name is ${JSON.stringify(name)}, then it is refused with 400 in Dutch`, async () => {
      const body = expectFieldError(await upload(name, minimalPdf()), 400, 'invalid_file_name', 'file');
      expect(body.error.message).toMatch(/bestandsnaam/);
      expect(await list()).toEqual([]);
    });
  }

  it('when the file is larger than 10 MB, then it is refused with 413 and a Dutch message', async () => {
    // Arrange: a real pdf padded to 10 MB + 1 byte.
    const pdf = minimalPdf();
    const big = Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024 + 1 - pdf.length, 0x20)]);

    // Act
    const res = await upload('groot.pdf', big);

    // Assert
    const body = expectError(res, 413, 'file_too_large');
    expect(body.error.message).toMatch(/te groot.*10 MB/);
    expect(await list()).toEqual([]);
  });

  it('when the file is exactly 10 MB, then it is stored', async () => {
    const pdf = minimalPdf();
    const exact = Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024 - pdf.length, 0x20)]);
    const created = await uploaded('precies.pdf', exact);
    expect(created.file?.size).toBe(10 * 1024 * 1024);
  });

  it('when the fields and the file are both wrong, then every problem comes back at once', async () => {
    const res = await upload('../foto.pdf', PNG_BYTES, { criterion: '9z', title: '' });
    const body = expectError(res, 400, 'validation_failed');
    expect(problemsOf(body).map((p) => [p.path, p.code])).toEqual([
      ['criterion', 'invalid_field'],
      ['title', 'invalid_field'],
      ['file', 'invalid_file_name'],
      ['file', 'invalid_file_type'],
    ]);
  });

  it('when the form has a field it does not know, then it is refused next to that field', async () => {
    const res = await upload('protocol.pdf', minimalPdf(), {
      criterion: '2a',
      title: 'Protocol',
      versie: '2',
    });
    expectFieldError(res, 400, 'validation_failed', 'versie', 'unknown_field');
  });

  it('when a form field is called __proto__, then the upload is refused with 400, not taken as the prototype', async () => {
    const res = await upload('protocol.pdf', minimalPdf(), {
      criterion: '2a',
      title: 'Protocol',
      ['__proto__']: 'x',
    });
    expect(expectError(res, 400, 'invalid_upload').error.message).toMatch(/verboden veldnaam/);
    expect(await list()).toEqual([]);
  });

  it('when the form has no file, then it is refused next to the file field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/resources/upload',
      ...multipart({ criterion: '2a', title: 'Zonder bestand' }, null),
    });
    expectFieldError(res, 400, 'file_missing', 'file');
  });

  it('when the upload is not multipart, then it is 415 saying how to send it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/resources/upload',
      payload: { criterion: '2a', title: 'JSON' },
    });
    expect(expectError(res, 415, 'unsupported_media_type').error.message).toMatch(/multipart\/form-data/);
  });

  it('when a link is sent as multipart, then it is 415 (uploads are taken by the upload route only)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/resources',
      ...multipart({ criterion: '2a', title: 'x', url: 'https://example.org' }, null),
    });
    expectError(res, 415, 'unsupported_media_type');
  });

  it('when a resource is a link, then asking for its file is a 404', async () => {
    const link = (
      await addLink({ criterion: '2a', title: 'Link', url: 'https://example.org/' })
    ).json() as Resource;
    expectError(
      await t.app.inject({ method: 'GET', url: `/api/resources/${link.id}/file` }),
      404,
      'resource_not_found',
    );
  });
});

describe('removal and history', () => {
  it('when a document is removed, then it leaves the list, its file is a 404, and the history has it without its bytes', async () => {
    // Arrange
    const created = await uploaded('protocol.pdf', minimalPdf());

    // Act
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/resources/${created.id}` });

    // Assert
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await list()).toEqual([]);
    expectError(
      await t.app.inject({ method: 'GET', url: `/api/resources/${created.id}/file` }),
      404,
      'resource_not_found',
    );
    expectError(
      await t.app.inject({ method: 'DELETE', url: `/api/resources/${created.id}` }),
      404,
      'resource_not_found',
    );
    expectError(
      await t.app.inject({
        method: 'PATCH',
        url: `/api/resources/${created.id}`,
        payload: { title: 'x', expectedVersion: 2 },
      }),
      404,
      'resource_not_found',
    );
    const revisions = await t.db
      .selectFrom('revisions')
      .select(['action', 'before', 'after', 'actor'])
      .where('entity', '=', 'resource')
      .where('entity_id', '=', created.id)
      .orderBy('id')
      .execute();
    expect(revisions.map((r) => r.action)).toEqual(['create', 'delete']);
    expect(JSON.parse(revisions[0]!.after!)).toEqual({
      criterion: '2a',
      measure: null,
      title: 'Modelprotocol',
      description: null,
      url: null,
      fileName: 'protocol.pdf',
      contentType: 'application/pdf',
      size: created.file!.size,
      version: 1,
    });
    for (const r of revisions) expect(`${r.before}${r.after}`).not.toContain('PDF');
    const row = await t.db
      .selectFrom('resources')
      .select(['removed_at', 'removed_by'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.removed_at).not.toBeNull();
  });
});

describe('who may use the kast', () => {
  let org: Organisation;
  let share: Client;
  let resource: Resource;

  beforeEach(async () => {
    org = await createOrg(t.app, { name: 'Gemeente Eigenstad', memberFrom: '2016-Q1' });
    const { token } = await call<{ token: string }>(
      t.app,
      { method: 'POST', url: `/api/organisations/${org.id}/share-links`, payload: { label: 'kast' } },
      201,
    );
    share = await openShareLink(t, token);
    resource = await uploaded('protocol.pdf', minimalPdf());
  });

  it('when an organisation account, the bestuur or a share link reads the kast, then they list and download it', async () => {
    const readers = [
      (o: Parameters<typeof share.inject>[0]) => injectAs(t, { organisatie: org.id }, o),
      (o: Parameters<typeof share.inject>[0]) => injectAs(t, 'bestuur', o),
      (o: Parameters<typeof share.inject>[0]) => share.inject(o),
    ];
    for (const read of readers) {
      const listed = await read({ method: 'GET', url: '/api/resources?criterion=2a' });
      expect(listed.statusCode, listed.body).toBe(200);
      expect((listed.json() as Resource[]).map((r) => r.id)).toEqual([resource.id]);
      const download = await read({ method: 'GET', url: `/api/resources/${resource.id}/file` });
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    }
  });

  it('when an organisation account or a share link tries to add, change or remove, then it is 403', async () => {
    const writes = [
      {
        method: 'POST' as const,
        url: '/api/resources',
        payload: { criterion: '2a', title: 'x', url: 'https://example.org' },
      },
      {
        method: 'POST' as const,
        url: '/api/resources/upload',
        ...multipart({ criterion: '2a', title: 'x' }, { name: 'x.pdf', content: minimalPdf() }),
      },
      {
        method: 'PATCH' as const,
        url: `/api/resources/${resource.id}`,
        payload: { title: 'x', expectedVersion: 1 },
      },
      { method: 'DELETE' as const, url: `/api/resources/${resource.id}` },
    ];
    for (const write of writes) {
      expectError(await injectAs(t, { organisatie: org.id }, write), 403, 'forbidden');
      expectError(await injectAs(t, 'bestuur', write), 403, 'forbidden');
      expectError(await share.inject(write), 403, 'forbidden');
    }
    expect((await list()).map((r) => r.title)).toEqual(['Modelprotocol']);
  });

  it('when nobody is signed in, then the list and the file are a 401', async () => {
    expectError(await t.anonymous({ method: 'GET', url: '/api/resources' }), 401, 'unauthenticated');
    expectError(
      await t.anonymous({ method: 'GET', url: `/api/resources/${resource.id}/file` }),
      401,
      'unauthenticated',
    );
  });
});
