/**
 * The tender document rules (issue 15): the allow-list and the size limit, when documents may change, which
 * versions a bid answered, file names in headers; and who may list a competition's documents.
 */
import { describe, expect, it } from 'vitest';
import type { Competition } from '../../shared/domain/competitions';
import {
  assertDocumentsChangeable,
  changedSince,
  contentDisposition,
  currentVersions,
  DOCUMENT_CONTENT_TYPE_LIST,
  documentUploadIssues,
  fileNameFor,
  formatBytes,
} from '../../shared/domain/documents';
import { DeadlinePassedError, InvalidStateError } from '../../shared/domain/errors';
import { decideDocumentsRead, type WallFacts } from '../../shared/domain/policy';
import type { Principal } from '../../shared/domain/principal';

const MB = 1024 * 1024;
const ok = { fileName: 'spec.pdf', contentType: 'application/pdf', sizeBytes: 1000 };

describe('documentUploadIssues', () => {
  it('accepts each allowed type up to the limit, and nothing is listed', () => {
    for (const contentType of DOCUMENT_CONTENT_TYPE_LIST)
      expect(documentUploadIssues({ ...ok, contentType, sizeBytes: 25 * MB }, 25 * MB)).toEqual([]);
  });

  it('lists every problem: type, size and name', () => {
    expect(
      documentUploadIssues(
        { fileName: 'a/b.html', contentType: 'text/html', sizeBytes: 25 * MB + 1 },
        25 * MB,
      ).map((i) => i.path),
    ).toEqual(['contentType', 'sizeBytes', 'fileName']);
    expect(documentUploadIssues({ ...ok, sizeBytes: 0 }, 25 * MB)).toEqual([
      { path: 'sizeBytes', message: 'The file is empty' },
    ]);
    for (const contentType of [
      'image/svg+xml',
      'application/zip',
      'application/x-msdownload',
      'text/html; charset=utf-8',
    ])
      expect(documentUploadIssues({ ...ok, contentType }, 25 * MB).map((i) => i.path)).toEqual([
        'contentType',
      ]);
    expect(documentUploadIssues({ ...ok, fileName: 'a\u0000.pdf' }, 25 * MB).map((i) => i.path)).toEqual([
      'fileName',
    ]);
  });
});

describe('assertDocumentsChangeable', () => {
  const competition = (status: Competition['status'], deadlineInMs: number, now: Date) => ({
    status,
    tenderDeadline: new Date(now.getTime() + deadlineInMs).toISOString(),
    prequalificationDeadline: undefined,
  });
  const now = new Date('2027-01-10T12:00:00Z');

  it('lets documents change from the draft until the tender deadline', () => {
    for (const status of ['draft', 'prequalification', 'shortlisting', 'tendering'] as const)
      expect(() => assertDocumentsChangeable(competition(status, 60_000, now), now)).not.toThrow();
  });

  it('refuses at and after the deadline (judged at the request time), and once cancelled', () => {
    expect(() => assertDocumentsChangeable(competition('tendering', 0, now), now)).toThrow(
      DeadlinePassedError,
    );
    expect(() => assertDocumentsChangeable(competition('tendering', -1, now), now)).toThrow(
      DeadlinePassedError,
    );
    for (const status of ['evaluation', 'standstill', 'awarded'] as const)
      expect(() => assertDocumentsChangeable(competition(status, 60_000, now), now)).toThrow(
        DeadlinePassedError,
      );
    expect(() => assertDocumentsChangeable(competition('cancelled', 60_000, now), now)).toThrow(
      InvalidStateError,
    );
  });
});

describe('versions', () => {
  const docs = [
    { documentId: 'D1', currentVersion: 2, title: 'Specification' },
    { documentId: 'D2', currentVersion: 1, title: 'Pricing' },
  ];

  it('a bid records the current version of each document', () => {
    expect(currentVersions(docs)).toEqual({ D1: 2, D2: 1 });
    expect(currentVersions([])).toEqual({});
  });

  it('what changed since a bid: newer versions and documents added after it', () => {
    expect(changedSince({ D1: 1 }, docs)).toEqual([
      { documentId: 'D1', title: 'Specification', answered: 1, current: 2 },
      { documentId: 'D2', title: 'Pricing', answered: null, current: 1 },
    ]);
    expect(changedSince({ D1: 2, D2: 1 }, docs)).toEqual([]);
    expect(
      changedSince({ constructor: 5 } as Record<string, number>, [
        { documentId: 'constructor', currentVersion: 1, title: 'x' },
      ]),
    ).toEqual([]);
  });
});

describe('file names', () => {
  it('Content-Disposition quotes safely and keeps the real name for clients that read it', () => {
    expect(contentDisposition('spec.pdf')).toBe(`attachment; filename="spec.pdf"; filename*=UTF-8''spec.pdf`);
    expect(contentDisposition('a"b\\c é.pdf')).toBe(
      `attachment; filename="a_b_c _.pdf"; filename*=UTF-8''a_b_c%20%C3%A9.pdf`,
    );
  });

  it('a form upload is named from its title and type', () => {
    expect(fileNameFor('Service specification (v2)', 'application/pdf')).toBe('service-specification-v2.pdf');
    expect(fileNameFor('££', 'text/csv')).toBe('document.csv');
  });

  it('sizes read as people read them', () => {
    expect(formatBytes(25 * MB)).toBe('25 MB');
    expect(formatBytes(1.5 * MB)).toBe('1.5 MB');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(12)).toBe('12 bytes');
  });
});

describe('decideDocumentsRead', () => {
  const facts = (overrides: Partial<WallFacts> = {}): WallFacts => ({
    leadSub: 'lead',
    evaluators: ['eva'],
    moderator: 'mo',
    declarations: { eva: { conflicts: [] } },
    excluded: ['ex'],
    connectedOrganisations: ['P1'],
    callerOrganisations: [],
    tenderDeadlinePassed: false,
    ...overrides,
  });
  const user = (sub: string, groups: string[] = ['commissioner']): Principal =>
    ({ kind: 'user', sub, email: undefined, groups }) as Principal;
  const anonymous: Principal = { kind: 'anonymous' } as Principal;

  it('once published: everyone, anonymous included', () => {
    for (const principal of [anonymous, user('anyone', []), user('ex')])
      expect(decideDocumentsRead(principal, facts(), true)).toEqual({ allowed: true, audience: 'public' });
  });

  it('a draft: the lead (no declaration needed) and declared panel members', () => {
    expect(decideDocumentsRead(user('lead'), facts(), false)).toEqual({ allowed: true, audience: 'inside' });
    expect(decideDocumentsRead(user('eva'), facts(), false)).toEqual({ allowed: true, audience: 'inside' });
    expect(decideDocumentsRead(user('mo'), facts(), false)).toMatchObject({
      allowed: false,
      code: 'declaration-required',
    });
  });

  it('a draft: everyone else is refused, the excluded and connected as outside the wall', () => {
    expect(decideDocumentsRead(anonymous, facts(), false)).toMatchObject({
      allowed: false,
      code: 'forbidden',
    });
    expect(decideDocumentsRead(user('other'), facts(), false)).toMatchObject({
      allowed: false,
      code: 'forbidden',
    });
    expect(decideDocumentsRead(user('admin', ['admin']), facts(), false)).toMatchObject({ allowed: false });
    expect(decideDocumentsRead(user('ex'), facts(), false)).toMatchObject({
      allowed: false,
      code: 'ethical-wall',
    });
    expect(decideDocumentsRead(user('lead'), facts({ callerOrganisations: ['P1'] }), false)).toMatchObject({
      allowed: false,
      code: 'ethical-wall',
      outsideWall: true,
    });
  });
});
