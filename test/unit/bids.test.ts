import { describe, expect, it } from 'vitest';
import {
  type BidContent,
  type BidEvent,
  type BidStatus,
  bidContentIssues,
  namedOrganisationIssues,
  namedOrganisations,
  nextBidStatus,
} from '../../shared/domain/bids';
import type { Criterion } from '../../shared/domain/competitions';

const criteria: Criterion[] = [
  { id: 'quality', name: 'Quality', kind: 'quality', weight: 70 },
  { id: 'price', name: 'Price', kind: 'price', weight: 30 },
];
const content = (overrides: Partial<BidContent> = {}): BidContent => ({
  pricePence: 100_000,
  qualityResponses: { quality: 'Our approach…' },
  subcontractors: [],
  consortium: [],
  ...overrides,
});

describe('bid state machine', () => {
  const table: [BidStatus | undefined, BidEvent, BidStatus | 'refused'][] = [
    [undefined, 'save-draft', 'draft'],
    ['draft', 'save-draft', 'draft'],
    ['submitted', 'save-draft', 'submitted'],
    ['withdrawn', 'save-draft', 'withdrawn'],
    [undefined, 'submit', 'refused'],
    ['draft', 'submit', 'submitted'],
    ['submitted', 'submit', 'submitted'],
    ['withdrawn', 'submit', 'submitted'],
    [undefined, 'withdraw', 'refused'],
    ['draft', 'withdraw', 'refused'],
    ['submitted', 'withdraw', 'withdrawn'],
    ['withdrawn', 'withdraw', 'refused'],
  ];
  it.each(table)('%s + %s → %s', (from, event, to) => {
    const next = nextBidStatus(from, event);
    if (to === 'refused') expect(next).toMatchObject({ refused: expect.any(String) });
    else expect(next).toBe(to);
  });
});

describe('bidContentIssues', () => {
  it('accepts a complete bid', () => {
    expect(bidContentIssues(content(), criteria, true)).toEqual([]);
  });

  it('refuses answers to unknown criteria, and to the price criterion', () => {
    const issues = bidContentIssues(
      content({ qualityResponses: { quality: 'a', nonsense: 'b', price: 'c' } }),
      criteria,
      false,
    );
    expect(issues.map((i) => i.path)).toEqual(['qualityResponses.nonsense', 'qualityResponses.price']);
  });

  it('lets a draft be incomplete, but not a submission', () => {
    const partial = content({ qualityResponses: {}, pricePence: 0 });
    expect(bidContentIssues(partial, criteria, false)).toEqual([]);
    expect(bidContentIssues(partial, criteria, true).map((i) => i.path)).toEqual([
      'qualityResponses.quality',
      'pricePence',
    ]);
  });

  it('refuses sub-contracted shares over 100%', () => {
    const subs = [
      { name: 'A', services: ['health' as const], sharePercent: 60 },
      { name: 'B', services: ['health' as const], sharePercent: 50 },
    ];
    expect(bidContentIssues(content({ subcontractors: subs }), criteria, false).map((i) => i.path)).toEqual([
      'subcontractors',
    ]);
  });

  it('adds shares exactly: thirds to two decimals make 100%, not a little over', () => {
    const shares = (...percents: number[]) =>
      content({
        subcontractors: percents.map((sharePercent, i) => ({
          name: `S${i}`,
          services: ['health' as const],
          sharePercent,
        })),
      });
    expect(bidContentIssues(shares(33.33, 33.33, 33.34), criteria, false)).toEqual([]);
    expect(bidContentIssues(shares(10.1, 20.2, 69.7), criteria, false)).toEqual([]);
    expect(bidContentIssues(shares(33.34, 33.34, 33.33), criteria, false)).toEqual([
      { path: 'subcontractors', message: 'Sub-contracted shares add up to 100.01%, over 100%' },
    ]);
  });
});

describe('the organisations a bid names', () => {
  const registry = new Map([
    ['VERIFIED', 'verified'],
    ['OTHER', 'verified'],
    ['PENDING', 'pending'],
  ] as const);
  const sub = (providerId?: string) => ({
    ...(providerId ? { providerId } : {}),
    name: 'Sub',
    services: ['health' as const],
    sharePercent: 10,
  });

  it('must exist, be verified, not be the bidder, and appear in a consortium once', () => {
    expect(
      namedOrganisationIssues(
        {
          consortium: [
            { providerId: 'VERIFIED', role: 'member' },
            { providerId: 'VERIFIED', role: 'member' },
            { providerId: 'GHOST', role: 'member' },
            { providerId: 'BIDDER', role: 'member' },
          ],
          subcontractors: [sub('PENDING'), sub(), sub('OTHER')],
        },
        'BIDDER',
        registry,
      ),
    ).toEqual([
      { path: 'consortium.1.providerId', message: 'Each organisation may appear once' },
      { path: 'consortium.2.providerId', message: 'No registered provider has this id' },
      { path: 'consortium.3.providerId', message: 'The bidding organisation cannot name itself' },
      { path: 'subcontractors.0.providerId', message: 'Only verified providers can be named' },
    ]);
  });

  it('name each other organisation once, at its first place, never the bidder', () => {
    expect(
      namedOrganisations('BIDDER', {
        consortium: [
          { providerId: 'VERIFIED', role: 'member' },
          { providerId: 'BIDDER', role: 'member' },
        ],
        subcontractors: [sub('VERIFIED'), sub('OTHER'), sub('OTHER'), sub()],
      }),
    ).toEqual([
      { path: 'consortium.0.providerId', providerId: 'VERIFIED' },
      // A sub-contractor carries the name the bidder gave it, for a refusal to name it so.
      { path: 'subcontractors.1.providerId', providerId: 'OTHER', name: 'Sub' },
    ]);
  });
});
