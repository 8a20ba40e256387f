/**
 * Demo sub-contracting: three contracts registered directly, each with a supply chain of demo providers
 * (and an unregistered sub-contractor or two), four quarters of spend returns – one filed as CSV, one
 * amended, some invoices paid late – and a dispute raised by a sub-contractor. Written through the same use
 * cases as the API, after the demo providers, and deterministic apart from the dates, which follow today.
 *
 * `demo-owner` (see `providers.ts`) owns the prime of the first contract:
 * `npm run token -- --sub demo-owner`, then `GET /providers/{id}/contracts` and
 * `GET /contracts/{id}/subcontracting`; `demo-subcontractor` owns its first sub-contractor (SUB-01), which
 * sees what it was paid (`GET /providers/{id}/subcontract-payments`) and raised the dispute.
 */
import type { DomainRules } from '../../shared/config';
import type { Repositories } from '../../shared/db/repositories';
import type { Group, Principal } from '../../shared/domain/principal';
import { type DirectoryListing, toDirectoryListing } from '../../shared/domain/providers';
import type { Coverage, Service } from '../../shared/domain/reference-data';
import { completeQuarters } from '../../shared/domain/return-periods';
import { periodBounds } from '../../shared/domain/subcontracting/dates';
import { CSV_HEADER } from '../../shared/domain/subcontracting/lines';
import { formatPounds } from '../../shared/domain/subcontracting/money';
import type { SubcontractorInput } from '../../shared/domain/subcontracting/supply-chain';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { disputeLine } from '../../shared/use-cases/subcontracting/disputes';
import { fileSpendReturn } from '../../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { DEMO_OWNER, DEMO_SUBCONTRACTOR } from './providers';

/** The demo commissioner who registered the contracts. */
export const DEMO_COMMISSIONER = 'demo-commissioner';

const user = (sub: string, groups: Group[] = []): Principal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups,
});

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface DemoContract {
  title: string;
  prime: DirectoryListing;
  ownerSub: string;
  regions: Coverage[];
  services: Service[];
  valuePence: number;
  subcontractors: SubcontractorInput[];
}

/** Loads the demo contracts; the demo providers must already be there. */
export async function seedSubcontracting(repos: Repositories, rules: DomainRules): Promise<string> {
  const rand = random(20261122);
  const now = new Date();
  const periods = completeQuarters(now, 4);
  const startDate = (periodBounds(periods[0] as string) as { start: string }).start;
  const endDate = `${Number(startDate.slice(0, 4)) + 3}-${startDate.slice(5, 7)}-01`;
  const commissioner = user(DEMO_COMMISSIONER, ['commissioner']);

  // Verified demo providers, through the same reads as the API: the directory, and memberships for owners.
  const listed = (await repos.providers.directory({ limit: 100 })).items;
  const ownerOf = async (providerId: string) =>
    (await repos.memberships.listForProvider(providerId)).find((m) => m.role === 'owner')?.sub;
  const demoOwnerOrg = (await repos.memberships.listForUser(DEMO_OWNER))[0]?.providerId;
  const demoOwnerProvider = demoOwnerOrg ? await repos.providers.get(demoOwnerOrg) : undefined;
  if (demoOwnerProvider?.status !== 'verified') {
    return 'skipped: the demo providers are not loaded';
  }
  const demoPrime = toDirectoryListing(demoOwnerProvider);
  // `demo-subcontractor`'s organisation is the demo prime's first sub-contractor (SUB-01), so the README
  // can name a user who sees payments reported to it and the dispute it raised.
  const subOrg = (await repos.memberships.listForUser(DEMO_SUBCONTRACTOR))[0]?.providerId;
  const subProvider = subOrg ? await repos.providers.get(subOrg) : undefined;
  if (subProvider?.status !== 'verified') return 'skipped: the demo sub-contractor is not loaded';
  const demoSub = toDirectoryListing(subProvider);
  const others = listed.filter((p) => p.id !== demoPrime.id && p.id !== demoSub.id);
  const privatePrime = others.find((p) => p.sector === 'private' && p.size === 'large') ?? others[0];
  const nationalPrime =
    others.find((p) => p.regions.includes('national') && p.id !== privatePrime?.id) ?? others[1];
  const pool = others.filter((p) => p.id !== privatePrime?.id && p.id !== nationalPrime?.id);
  if (!privatePrime || !nationalPrime || pool.length < 9) return 'skipped: too few verified demo providers';

  const registered = (providers: DirectoryListing[], prefix: string): SubcontractorInput[] =>
    providers.map((p, i) => ({
      ref: `${prefix}-${String(i + 1).padStart(2, '0')}`,
      providerId: p.id,
      services: p.services.slice(0, 2),
      plannedValuePence: (20 + Math.floor(rand() * 80)) * 1_000_00,
    }));
  const regionsOf = (p: Pick<DirectoryListing, 'regions'>): Coverage[] =>
    p.regions.includes('national') ? ['national'] : p.regions.slice(0, 3);

  const contracts: DemoContract[] = [
    {
      title: 'Resettlement and accommodation support',
      prime: demoPrime,
      ownerSub: DEMO_OWNER,
      regions: regionsOf(demoPrime),
      services: ['accommodation', 'finance_benefit_debt'],
      valuePence: 4_800_000_00,
      subcontractors: [
        ...registered([demoSub, ...pool.slice(0, 3)], 'SUB'),
        {
          ref: 'LOCAL-01',
          name: 'Hillside Tenancy Project',
          sector: 'voluntary',
          size: 'micro',
          services: ['accommodation'],
          plannedValuePence: 15_000_00,
        },
      ],
    },
    {
      title: 'Education, training and employment for people on probation',
      prime: privatePrime,
      ownerSub: (await ownerOf(privatePrime.id)) ?? 'demo-user-unknown',
      regions: regionsOf(privatePrime),
      services: ['education_training_employment'],
      valuePence: 12_500_000_00,
      subcontractors: [
        ...registered(pool.slice(4, 7), 'ETE'),
        {
          ref: 'ETE-FE',
          name: 'Northgate Further Education College',
          sector: 'public',
          size: 'large',
          services: ['education_training_employment'],
          plannedValuePence: 300_000_00,
        },
      ],
    },
    {
      title: 'Personal wellbeing services, national',
      prime: nationalPrime,
      ownerSub: (await ownerOf(nationalPrime.id)) ?? 'demo-user-unknown',
      regions: ['national'],
      services: ['attitudes_thinking_behaviour', 'children_families'],
      valuePence: 30_000_000_00,
      subcontractors: registered(pool.slice(7, 9), 'PWB'),
    },
  ];

  let returns = 0;
  let late = 0;
  let disputes = 0;
  const summary: string[] = [];
  for (const [index, demo] of contracts.entries()) {
    const contract = await registerContract(
      repos,
      commissioner,
      {
        title: demo.title,
        primeProviderId: demo.prime.id,
        valuePence: demo.valuePence,
        startDate,
        endDate,
        regions: demo.regions,
        services: demo.services,
        subcontracting: { targetPercent: index === 0 ? 10 : 15, voluntarySectorTargetPercent: 25 },
      },
      now,
      rules,
    );
    const owner = user(demo.ownerSub);
    await putSupplyChain(repos, owner, contract.id, { subcontractors: demo.subcontractors }, now);

    for (const [q, period] of periods.entries()) {
      const bounds = periodBounds(period) as { start: string; end: string };
      const lines = demo.subcontractors.flatMap((s, i) =>
        Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, n) => {
          const paidDate = addDays(bounds.start, 5 + Math.floor(rand() * 80));
          // Most invoices are paid within a fortnight; about one in six waits five to ten weeks.
          const slow = rand() < 0.17;
          const wait = slow ? 35 + Math.floor(rand() * 35) : 3 + Math.floor(rand() * 14);
          if (slow) late += 1;
          return {
            subcontractorRef: s.ref,
            invoiceRef: `${s.ref}-${period}-${i}${n}`,
            invoiceDate: addDays(paidDate, -wait),
            paidDate,
            amountPence: (500 + Math.floor(rand() * 4_500)) * 100 + Math.floor(rand() * 100),
          };
        }),
      );
      // The second quarter of the first contract is uploaded as CSV; the rest as JSON.
      const submission =
        index === 0 && q === 1
          ? {
              format: 'csv' as const,
              text: [
                CSV_HEADER,
                ...lines.map(
                  (l) =>
                    `${l.subcontractorRef},${l.invoiceRef},${l.invoiceDate},${l.paidDate},${formatPounds(l.amountPence)}`,
                ),
              ].join('\n'),
            }
          : {
              format: 'json' as const,
              issues: [],
              lines: lines.map((l, position) => ({ position, ...l })),
            };
      const filed = await fileSpendReturn(repos, owner, contract.id, period, submission, now, rules);
      returns += 1;
      // The first contract's third quarter is amended: one invoice was reported at the wrong amount.
      if (index === 0 && q === 2) {
        const amended = lines.map((l, position) => ({
          position,
          ...l,
          amountPence: position === 0 ? l.amountPence + 250_00 : l.amountPence,
        }));
        await fileSpendReturn(
          repos,
          owner,
          contract.id,
          period,
          { format: 'json', issues: [], lines: amended },
          now,
          rules,
        );
      }
      // A registered sub-contractor disputes a line of the first contract's latest quarter.
      if (index === 0 && q === periods.length - 1) {
        const disputed = filed.spendReturn.lines.find((l) => l.subcontractorRef === 'SUB-01');
        const subProvider = demo.subcontractors[0]?.providerId;
        const subOwner = subProvider ? await ownerOf(subProvider) : undefined;
        if (disputed && subOwner) {
          await disputeLine(
            repos,
            user(subOwner),
            { contractId: contract.id, period, lineId: disputed.lineId },
            `We invoiced ${disputed.invoiceRef} for £${formatPounds(disputed.amountPence + 120_00)}; the return shows less.`,
            now,
          );
          disputes += 1;
        }
      }
    }
    summary.push(`"${demo.title}" (prime ${demo.prime.name}, ${contract.id})`);
  }
  return `${contracts.length} contracts, ${returns} returns over ${periods[0]}–${periods[periods.length - 1]} (${late} invoices paid late, 1 amended, 1 filed as CSV), ${disputes} dispute by "${DEMO_SUBCONTRACTOR}"; "${DEMO_OWNER}" is prime of ${summary[0]}`;
}
