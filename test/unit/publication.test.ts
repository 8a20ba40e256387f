/**
 * The OCDS release builders, the public projection they take, the compiled release and the packages
 * (issue 16), pure: every builder's release is valid against the official 1.1.5 schema with the extensions
 * merged in; nothing outside the projection's allow-list reaches a release, whatever a competition holds;
 * tenderers appear only from the award decision; compiling follows the OCDS merge rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, configFromEnv } from '../../shared/config';
import type { Competition } from '../../shared/domain/competitions';
import { compileRelease } from '../../shared/domain/publication/compile';
import type { Release, ReleaseDraft } from '../../shared/domain/publication/ocds';
import { extensionsOf, recordPackage, releasePackage } from '../../shared/domain/publication/packages';
import {
  type PublicContractFacts,
  type PublicOrganisation,
  publicOrganisation,
  publicTenderFacts,
} from '../../shared/domain/publication/projection';
import {
  awardCancellationRelease,
  awardIdOf,
  awardRelease,
  contractRelease,
  implementationRelease,
  isVcse,
  ocidOf,
  scaleOf,
  tenderAmendmentRelease,
  tenderCancellationRelease,
  tenderRelease,
} from '../../shared/domain/publication/releases';
import { REGIONS, SECTORS, SERVICES, SIZES } from '../../shared/domain/reference-data';
import { releaseErrors, releasePackageErrors } from '../support/ocds';

const CONTEXT = { ocidPrefix: 'ocds-abc123-test', publisherName: 'Test commissioner', buyerId: 'test-buyer' };
const BASE = 'https://example.test';

function competition(overrides: Partial<Competition> = {}): Competition {
  return {
    id: '01JD0000000000000000000001',
    title: 'Family support',
    description: 'Support for families of people in prison.',
    services: ['children_families', 'accommodation'],
    regions: ['london', 'south_east'],
    estimatedValuePence: 250_000_00,
    termMonths: 24,
    risk: 'medium',
    prequalificationTier: 'core',
    prequalificationDeadline: '2030-01-10T12:00:00.000Z',
    tenderDeadline: '2030-02-10T12:00:00.000Z',
    criteria: [
      { id: 'quality', name: 'Quality', kind: 'quality', weight: 70 },
      { id: 'price', name: 'Price', kind: 'price', weight: 30 },
    ],
    status: 'prequalification',
    leadSub: 'lead-sub',
    minimumTurnoverPence: 100_000_00,
    createdAt: '2029-12-01T00:00:00.000Z',
    updatedAt: '2029-12-01T00:00:00.000Z',
    publishedAt: '2029-12-01T10:00:00.000Z',
    version: 3,
    ...overrides,
  };
}

const org = (id: string, sector: PublicOrganisation['sector'], size: PublicOrganisation['size']) =>
  publicOrganisation({ id, name: `Organisation ${id}`, sector, size });

const W = org('W', 'voluntary', 'small');
const R = org('R', 'private', 'large');
const V = org('V', 'public', 'micro');

/** A draft as publication numbers and dates it. */
let seq = 0;
function published(draft: ReleaseDraft, date = `2030-03-01T00:00:${String(seq % 60).padStart(2, '0')}.000Z`) {
  seq += 1;
  return { ...draft, id: `${draft.ocid}-${seq}`, date } as Release;
}

const contract: PublicContractFacts & { competitionId: string } = {
  contractId: '01JD0000000000000000000009',
  title: 'Family support',
  competitionId: '01JD0000000000000000000001',
  supplier: W,
  valuePence: 240_000_12,
  startDate: '2030-04-01',
  endDate: '2032-03-31',
  signedAt: '2030-04-01T09:00:00.000Z',
};

function everyRelease(): Release[] {
  const facts = publicTenderFacts(competition());
  return [
    tenderRelease(CONTEXT, facts),
    tenderAmendmentRelease(CONTEXT, facts, {
      kind: 'deadline',
      at: '2030-01-11T00:00:00.000Z',
      previousTenderDeadline: '2030-02-01T12:00:00.000Z',
    }),
    tenderAmendmentRelease(CONTEXT, facts, {
      kind: 'answer',
      answer: {
        questionId: 'Q1',
        question: 'Is TUPE expected?',
        answer: 'No.',
        answeredAt: '2030-01-05T00:00:00.000Z',
      },
    }),
    tenderAmendmentRelease(CONTEXT, facts, {
      kind: 'document',
      document: {
        documentId: 'D1',
        title: 'Specification',
        kind: 'specification',
        version: 2,
        uploadedAt: '2030-01-06T00:00:00.000Z',
      },
    }),
    awardRelease(CONTEXT, facts, {
      supplier: W,
      valuePence: 240_000_12,
      decidedAt: '2030-03-01T00:00:00.000Z',
      tenderers: [W, R, V],
    }),
    awardCancellationRelease(CONTEXT, facts, {
      supplier: { id: W.id, name: W.name },
      withdrawnAt: '2030-03-02T00:00:00.000Z',
    }),
    contractRelease(CONTEXT, contract),
    implementationRelease(CONTEXT, contract, {
      period: '2030-Q2',
      version: 1,
      periodEnd: '2030-06-30',
      payments: [
        {
          subcontractorRef: 'SUB-1',
          providerId: 'V',
          name: V.name,
          sector: V.sector,
          size: V.size,
          amountPence: 1_234_56,
          lastPaidDate: '2030-05-02',
        },
        { subcontractorRef: 'SUB-2', name: 'Local CIC', sector: 'voluntary', size: 'micro', amountPence: 0 },
      ],
    }),
    tenderCancellationRelease(CONTEXT, facts, {
      cancelledAt: '2030-03-03T00:00:00.000Z',
      cause: 'commissioner',
      reason: 'The service is no longer needed.',
      withdrawnAward: { supplier: { id: W.id, name: W.name }, withdrawnAt: '2030-03-03T00:00:00.000Z' },
    }),
  ].map((draft) => published(draft));
}

describe('release builders', () => {
  it('build releases valid against OCDS 1.1.5 with the extensions merged in, for every tag', () => {
    const releases = everyRelease();
    expect(new Set(releases.flatMap((r) => r.tag))).toEqual(
      new Set([
        'tender',
        'tenderAmendment',
        'tenderCancellation',
        'award',
        'awardCancellation',
        'contract',
        'implementation',
      ]),
    );
    for (const release of releases) expect(releaseErrors(release), release.tag.join()).toEqual([]);
    const pack = releasePackage(
      {
        uri: `${BASE}/ocds/releases`,
        baseUrl: BASE,
        publishedDate: '2030-04-01T00:00:00.000Z',
        publisherName: 'T',
      },
      releases,
      null,
    );
    expect(releasePackageErrors(pack)).toEqual([]);
    expect(pack.extensions).toEqual(extensionsOf(BASE));
  });

  it('are checked by a validator that refuses what the schema and the extensions refuse (not vacuous)', () => {
    const [release] = everyRelease() as [Release];
    expect(releaseErrors({ ...release, tag: ['bogus'] })).not.toEqual([]);
    expect(releaseErrors({ ...release, date: 'yesterday' })).not.toEqual([]);
    const party = { id: 'X', name: 'X', roles: ['tenderer'] };
    expect(releaseErrors({ ...release, parties: [{ ...party, details: { scale: 'medium' } }] })).not.toEqual(
      [],
    );
    expect(releaseErrors({ ...release, parties: [{ ...party, details: { vcse: 'yes' } }] })).not.toEqual([]);
    expect(
      releaseErrors({ ...release, tender: { id: 'T', enquiries: [{ description: 'no id' }] } }),
    ).not.toEqual([]);
    expect(releasePackageErrors({ uri: 'not a uri', releases: [release] })).not.toEqual([]);
  });

  it('name every process by the configured prefix and the competition (or direct contract)', () => {
    for (const release of everyRelease())
      expect(release.ocid).toBe(ocidOf(CONTEXT, '01JD0000000000000000000001'));
    const direct = implementationRelease(
      CONTEXT,
      { ...contract, competitionId: undefined } as unknown as PublicContractFacts,
      { period: '2030-Q2', version: 1, periodEnd: '2030-06-30', payments: [] },
    );
    expect(direct.ocid).toBe(`ocds-abc123-test-${contract.contractId}`);
    expect(direct.parties.find((p) => p.id === W.id)?.roles).toEqual(['supplier', 'payer']);
  });

  it('give parties their scale (micro, sme, large) and VCSE flag, and the buyer every time', () => {
    expect(SIZES.map(scaleOf)).toEqual(['micro', 'sme', 'sme', 'large']);
    expect(SECTORS.map(isVcse)).toEqual([true, false, false]);
    const award = everyRelease().find((r) => r.tag.includes('award')) as Release;
    expect(award.parties).toEqual([
      { id: 'test-buyer', name: 'Test commissioner', roles: ['buyer', 'procuringEntity'] },
      { id: 'W', name: W.name, roles: ['tenderer', 'supplier'], details: { scale: 'sme', vcse: true } },
      { id: 'R', name: R.name, roles: ['tenderer'], details: { scale: 'large', vcse: false } },
      { id: 'V', name: V.name, roles: ['tenderer'], details: { scale: 'micro', vcse: false } },
    ]);
    expect(award.tender?.numberOfTenderers).toBe(3);
    expect(award.awards?.[0]).toMatchObject({
      id: awardIdOf('W'),
      status: 'pending',
      value: { amount: 240000.12 },
    });
  });

  it('name no tenderer before the award decision', () => {
    for (const release of everyRelease()) {
      const tenderers = release.parties.filter((p) => p.roles.includes('tenderer'));
      if (
        !release.tag.some((t) =>
          ['award', 'awardCancellation', 'contract', 'implementation', 'tenderCancellation'].includes(t),
        )
      ) {
        expect(tenderers, release.tag.join()).toEqual([]);
        expect(release.tender?.tenderers).toBeUndefined();
      }
    }
  });

  it('publish a spend return as one transaction per sub-contractor, prime to sub-contractor', () => {
    const release = everyRelease().find((r) => r.tag.includes('implementation')) as Release;
    const [section] = release.contracts ?? [];
    expect(section?.implementation?.transactions).toEqual([
      {
        id: '2030-Q2-SUB-1',
        date: '2030-05-02T00:00:00Z',
        value: { amount: 1234.56, currency: 'GBP' },
        payer: { id: 'W', name: W.name },
        payee: { id: 'V', name: V.name },
      },
      {
        id: '2030-Q2-SUB-2',
        date: '2030-06-30T00:00:00Z',
        value: { amount: 0, currency: 'GBP' },
        payer: { id: 'W', name: W.name },
        payee: { id: `${contract.contractId}-sub-SUB-2`, name: 'Local CIC' },
      },
    ]);
    expect(release.parties.map((p) => [p.id, p.roles])).toEqual([
      ['test-buyer', ['buyer', 'procuringEntity']],
      ['W', ['tenderer', 'supplier', 'payer']],
      ['V', ['subcontractor', 'payee']],
      [`${contract.contractId}-sub-SUB-2`, ['subcontractor', 'payee']],
    ]);
  });

  it('give a commissioner’s cancellation its reason, and an upheld challenge’s none', () => {
    const facts = publicTenderFacts(competition({ status: 'cancelled' }));
    const upheld = tenderCancellationRelease(CONTEXT, facts, {
      cancelledAt: '2030-03-03T00:00:00.000Z',
      cause: 'challenge-upheld',
    });
    expect(upheld.tender?.amendments?.[0]?.description).toBeUndefined();
    expect(upheld.tag).toEqual(['tenderCancellation']);
  });
});

/** A token no generated text can contain by chance. */
const TOKEN = 'ZZSECRETZZ';

describe('the public projection', () => {
  it('lets nothing past its allow-list into a release, whatever else a competition holds', () => {
    const secretText = fc.string({ minLength: 1, maxLength: 20 }).map((s) => `${TOKEN}${s}`);
    fc.assert(
      fc.property(
        fc.record({
          leadSub: secretText,
          shortlist: fc.array(secretText, { maxLength: 3 }),
          rationale: secretText,
          override: secretText,
          notes: secretText,
          budgetCeilingPence: fc.integer({ min: 987_654_321, max: 987_654_399 }),
          extra: secretText,
          title: fc.string({ maxLength: 50 }).filter((s) => !s.includes(TOKEN)),
          services: fc.subarray([...SERVICES], { minLength: 1 }),
          regions: fc.subarray([...REGIONS], { minLength: 1 }),
        }),
        (input) => {
          const stored = {
            ...competition({
              title: input.title,
              services: input.services,
              regions: input.regions,
              leadSub: input.leadSub,
              shortlist: input.shortlist,
              award: {
                bidId: input.extra,
                providerId: 'W',
                providerName: W.name,
                valuePence: 1,
                rationale: input.rationale,
                override: { rank: 2, reason: input.override },
                decidedAt: '2030-03-01T00:00:00.000Z',
                standstillEndsAt: '2030-03-09T00:00:00.000Z',
              },
            }),
            // Fields a stored item might carry that the type does not name: never copied.
            confidential: { notes: input.notes, budgetCeilingPence: input.budgetCeilingPence },
            panel: { evaluators: [input.extra] },
          } as unknown as Competition;
          const facts = publicTenderFacts(stored);
          for (const draft of [
            tenderRelease(CONTEXT, facts),
            tenderCancellationRelease(CONTEXT, facts, {
              cancelledAt: '2030-01-01T00:00:00Z',
              cause: 'challenge-upheld',
            }),
            tenderAmendmentRelease(CONTEXT, facts, {
              kind: 'deadline',
              at: '2030-01-01T00:00:00Z',
              previousTenderDeadline: '2030-01-01T00:00:00Z',
            }),
          ]) {
            const text = JSON.stringify(draft);
            expect(text).not.toContain(TOKEN);
            expect(text).not.toContain(String(input.budgetCeilingPence));
            expect(text).not.toContain(String(input.budgetCeilingPence / 100));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('names an organisation by id, name, sector and size only', () => {
    const provider = {
      id: 'P',
      name: 'Named',
      sector: 'voluntary' as const,
      size: 'micro' as const,
      contact: { name: TOKEN, email: `${TOKEN}@example.org` },
      charityNumber: TOKEN,
    };
    expect(publicOrganisation(provider)).toEqual({
      id: 'P',
      name: 'Named',
      sector: 'voluntary',
      size: 'micro',
    });
  });
});

describe('the compiled release', () => {
  it('merges by the OCDS rules: later values win, identified entries merge by id, lists replace', () => {
    const releases = everyRelease().slice(0, 7);
    const compiled = compileRelease(releases);
    expect(compiled.tag).toEqual(['compiled']);
    expect(compiled.date).toBe(
      releases
        .map((r) => r.date)
        .sort()
        .at(-1),
    );
    expect(compiled.id).toBe(`${compiled.ocid}-${compiled.date}`);
    expect(releaseErrors(compiled)).toEqual([]);
    // The award: pending, then cancelled, then active again by the contract; its value from the decision.
    expect(compiled.awards).toEqual([
      {
        id: awardIdOf('W'),
        title: 'Family support',
        status: 'active',
        date: '2030-03-01T00:00:00.000Z',
        value: { amount: 240000.12, currency: 'GBP' },
        suppliers: [{ id: 'W', name: W.name }],
      },
    ]);
    // Amendments (by id) accumulate; the enquiry and the document stay; the status is the latest.
    expect(compiled.tender?.amendments?.map((a) => a.id)).toEqual([
      'deadline-2030-01-11T00:00:00.000Z',
      'answer-Q1',
      'document-D1-v2',
    ]);
    expect(compiled.tender?.enquiries).toHaveLength(1);
    expect(compiled.tender?.status).toBe('complete');
    // Roles are replaced by the latest release naming the party.
    expect(compiled.parties.find((p) => p.id === 'W')?.roles).toEqual(['tenderer', 'supplier']);
    expect(compiled.parties.find((p) => p.id === 'W')?.details).toEqual({ scale: 'sme', vcse: true });
  });

  it('keeps, for each identified entry, the last value any release gave it', () => {
    const statuses = fc.constantFrom('pending' as const, 'active' as const, 'cancelled' as const);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('A', 'B', 'C'), statuses), { minLength: 1, maxLength: 12 }),
        (steps) => {
          const releases = steps.map(([supplier, status], i) =>
            published(
              {
                ocid: 'ocds-abc123-test-X',
                tag: ['award'],
                initiationType: 'tender',
                language: 'en',
                parties: [],
                buyer: { id: 'b', name: 'b' },
                awards: [
                  {
                    id: awardIdOf(supplier),
                    status,
                    date: `2030-01-01T00:00:${String(i).padStart(2, '0')}Z`,
                  },
                ],
              },
              `2030-01-01T00:00:${String(i).padStart(2, '0')}.000Z`,
            ),
          );
          const compiled = compileRelease(releases);
          const last = new Map(steps.map(([supplier, status]) => [awardIdOf(supplier), status]));
          expect(new Map(compiled.awards?.map((a) => [a.id, a.status]))).toEqual(last);
          // Entries keep the order their ids first appeared in.
          expect(compiled.awards?.map((a) => a.id)).toEqual([...new Set(steps.map(([s]) => awardIdOf(s)))]);
        },
      ),
    );
  });

  it('keeps a tenderer’s role when it is later paid as a sub-contractor: every release repeats all its roles', () => {
    const facts = publicTenderFacts(competition());
    const spend = {
      period: '2030-Q2',
      version: 1,
      periodEnd: '2030-06-30',
      payments: [
        {
          subcontractorRef: 'SUB-1',
          providerId: 'V',
          name: V.name,
          sector: V.sector,
          size: V.size,
          amountPence: 5,
        },
        {
          subcontractorRef: 'SUB-2',
          name: 'Local CIC',
          sector: 'voluntary' as const,
          size: 'micro' as const,
          amountPence: 7,
        },
      ],
    };
    const releases = [
      awardRelease(CONTEXT, facts, {
        supplier: W,
        valuePence: 240_000_12,
        decidedAt: '2030-03-01T00:00:00.000Z',
        tenderers: [W, R, V],
      }),
      contractRelease(CONTEXT, contract),
      // The record so far names W, R and V as tenderers: V, now paid as a sub-contractor, stays one.
      implementationRelease(CONTEXT, contract, spend, { tendererIds: ['W', 'R', 'V'] }),
    ].map((draft) => published(draft));
    const implementation = releases.at(-1) as Release;
    expect(releaseErrors(implementation)).toEqual([]);
    expect(implementation.parties.find((p) => p.id === 'V')?.roles).toEqual([
      'tenderer',
      'subcontractor',
      'payee',
    ]);
    const roles = new Map(compileRelease(releases).parties.map((p) => [p.id, p.roles]));
    expect(roles.get('V')).toEqual(['tenderer', 'subcontractor', 'payee']);
    expect(roles.get('W')).toEqual(['tenderer', 'supplier', 'payer']);
    expect(roles.get('R')).toEqual(['tenderer']);
    expect(roles.get(`${contract.contractId}-sub-SUB-2`)).toEqual(['subcontractor', 'payee']);
  });

  it('takes each party’s roles from the latest release naming it, as OCDS merges a list of strings', () => {
    // Not a union: an award withdrawn (awardCancellation) takes the supplier role away again, which only
    // replacing the list can say. So the builders, not the merge, carry the roles a party keeps.
    const facts = publicTenderFacts(competition());
    const releases = [
      awardRelease(CONTEXT, facts, {
        supplier: W,
        valuePence: 1,
        decidedAt: '2030-03-01T00:00:00.000Z',
        tenderers: [W, R],
      }),
      awardCancellationRelease(CONTEXT, facts, {
        supplier: { id: W.id, name: W.name },
        withdrawnAt: '2030-03-02T00:00:00.000Z',
      }),
    ].map((draft) => published(draft));
    const compiled = compileRelease(releases);
    expect(compiled.parties.find((p) => p.id === 'W')?.roles).toEqual(['tenderer']);
    // Details given once stay (objects merge field by field); the withdrawal named W without them.
    expect(compiled.parties.find((p) => p.id === 'W')?.details).toEqual({ scale: 'sme', vcse: true });
  });

  it('makes a record package of every release with its compiled release', () => {
    const releases = everyRelease();
    const record = recordPackage(
      {
        uri: `${BASE}/ocds/records/x`,
        baseUrl: BASE,
        publishedDate: '2030-04-01T00:00:00.000Z',
        publisherName: 'T',
      },
      releases,
    );
    expect(record.records).toHaveLength(1);
    expect(record.records[0]?.releases).toHaveLength(releases.length);
    expect(releaseErrors(record.records[0]?.compiledRelease)).toEqual([]);
    expect(() => recordPackage(record as never, [])).toThrow();
    expect(record.earlierReleases).toBeNull();
  });

  it('leaves the compiled release out of a record holding only the latest releases, and says where the rest are', () => {
    const latest = everyRelease().slice(-3);
    const earlier = `${BASE}/ocds/releases?updatedFrom=2030-01-01T00%3A00%3A00.000Z&updatedTo=2030-03-01T00%3A00%3A00.000Z`;
    const record = recordPackage(
      {
        uri: `${BASE}/ocds/records/x`,
        baseUrl: BASE,
        publishedDate: '2030-04-01T00:00:00.000Z',
        publisherName: 'T',
      },
      latest,
      earlier,
    );
    expect(record.records).toEqual([{ ocid: latest[0]?.ocid, releases: latest }]);
    expect(record.earlierReleases).toBe(earlier);
  });
});

describe('the publication settings', () => {
  it('default to a plainly local ocid prefix, and refuse a malformed one at start-up', () => {
    expect(configFromEnv({}).publication).toEqual({
      ocidPrefix: 'ocds-xxxxxx-local',
      publisherName: 'Offender services commissioner (local data)',
      buyerId: 'local-commissioner',
    });
    expect(configFromEnv({ OCDS_OCID_PREFIX: 'ocds-b5fd17' }).publication.ocidPrefix).toBe('ocds-b5fd17');
    for (const prefix of ['ocds-abc', 'b5fd17', 'ocds-b5fd17-', 'ocds-b5fd17 x'])
      expect(() => configFromEnv({ OCDS_OCID_PREFIX: prefix }), prefix).toThrow(ConfigurationError);
    expect(() => configFromEnv({ OCDS_BUYER_ID: 'a b' })).toThrow(ConfigurationError);
  });
});
