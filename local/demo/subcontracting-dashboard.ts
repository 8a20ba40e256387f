/**
 * Demo data for the sub-contracting dashboard (issue 16): six more contracts, registered directly, spread
 * over the regions the first three demo contracts (`subcontracting.ts`) leave empty, each filing a return
 * for each of the last six complete quarters – so `/commissioning/subcontracting` shows bars in most
 * regions and trend lines over six quarters. Each contract has its own character (a charity-heavy supply
 * chain, one paying late, one growing its sub-contracting quarter by quarter), so the charts differ.
 * Written through the same use cases as the API, after the demo providers; deterministic apart from the
 * dates, which follow today.
 */
import type { DomainRules } from '../../shared/config';
import type { Repositories } from '../../shared/db/repositories';
import type { Group, Principal } from '../../shared/domain/principal';
import type { Coverage, Sector, Size } from '../../shared/domain/reference-data';
import { completeQuarters } from '../../shared/domain/return-periods';
import { periodBounds } from '../../shared/domain/subcontracting/dates';
import type { SubcontractorInput } from '../../shared/domain/subcontracting/supply-chain';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { fileSpendReturn } from '../../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { DEMO_COMMISSIONER } from './subcontracting';

/** Quarters each spread contract files: a year and a half of trend. */
const QUARTERS = 6;

const user = (sub: string, groups: Group[] = []): Principal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups,
});

/** One demo contract's character. */
interface Spread {
  title: string;
  regions: Coverage[];
  valuePence: number;
  /** Sub-contracted share of the quarter's value in the first quarter, and its growth per quarter. */
  share: number;
  growth: number;
  /** The supply chain: who is paid, and what part of each quarter's spend. */
  chain: { name: string; sector: Sector; size: Size; part: number }[];
  /** Share of invoices paid after 30 days. */
  late: number;
}

const SPREADS: Spread[] = [
  {
    title: 'Accommodation and tenancy support, North East',
    regions: ['north_east'],
    valuePence: 3_600_000_00,
    share: 0.3,
    growth: 0.01,
    chain: [
      { name: 'Tyneside Homes Trust', sector: 'voluntary', size: 'small', part: 0.5 },
      { name: 'Wearside Floating Support CIC', sector: 'voluntary', size: 'micro', part: 0.3 },
      { name: 'North Lettings Ltd', sector: 'private', size: 'medium', part: 0.2 },
    ],
    late: 0.05,
  },
  {
    title: 'Employment support, Yorkshire and the East Midlands',
    regions: ['yorkshire_humber', 'east_midlands'],
    valuePence: 8_400_000_00,
    share: 0.06,
    growth: 0.015,
    chain: [
      { name: 'Pennine Skills Partnership', sector: 'voluntary', size: 'medium', part: 0.35 },
      { name: 'Trent Valley College', sector: 'public', size: 'large', part: 0.4 },
      { name: 'Sheaf Recruitment Ltd', sector: 'private', size: 'small', part: 0.25 },
    ],
    late: 0.12,
  },
  {
    title: 'Drug and alcohol services, West Midlands',
    regions: ['west_midlands'],
    valuePence: 5_200_000_00,
    share: 0.2,
    growth: -0.005,
    chain: [
      { name: 'Black Country Recovery', sector: 'voluntary', size: 'small', part: 0.3 },
      { name: 'Midlands Clinical Services plc', sector: 'private', size: 'large', part: 0.7 },
    ],
    late: 0.35,
  },
  {
    title: 'Women’s services, East of England and London',
    regions: ['east_of_england', 'london'],
    valuePence: 6_000_000_00,
    share: 0.27,
    growth: 0.01,
    chain: [
      { name: 'Fenland Women’s Centre', sector: 'voluntary', size: 'small', part: 0.45 },
      { name: 'Thames Women’s Network', sector: 'voluntary', size: 'medium', part: 0.4 },
      { name: 'Capital Counselling Ltd', sector: 'private', size: 'micro', part: 0.15 },
    ],
    late: 0.08,
  },
  {
    title: 'Restorative justice, South East and South West',
    regions: ['south_east', 'south_west'],
    valuePence: 2_400_000_00,
    share: 0.08,
    growth: 0.02,
    chain: [
      { name: 'Downs Mediation Service', sector: 'voluntary', size: 'micro', part: 0.6 },
      { name: 'Wessex Victim Support', sector: 'voluntary', size: 'small', part: 0.4 },
    ],
    late: 0.2,
  },
  {
    title: 'Family support, Wales',
    regions: ['wales'],
    valuePence: 3_000_000_00,
    share: 0.11,
    growth: 0.005,
    chain: [
      { name: 'Cymru Families Together', sector: 'voluntary', size: 'small', part: 0.55 },
      { name: 'Valleys Council Services', sector: 'public', size: 'large', part: 0.45 },
    ],
    late: 0.15,
  },
];

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Loads the spread contracts; the demo providers must already be there (any verified one may be prime). */
export async function seedSubcontractingSpread(repos: Repositories, rules: DomainRules): Promise<string> {
  const now = new Date();
  const periods = completeQuarters(now, QUARTERS);
  const startDate = (periodBounds(periods[0] as string) as { start: string }).start;
  const endDate = `${Number(startDate.slice(0, 4)) + 3}-${startDate.slice(5, 7)}-01`;
  const commissioner = user(DEMO_COMMISSIONER, ['commissioner']);
  // Primes: verified providers from the far end of the directory (the first ones prime or supply the
  // other demo contracts), each with its owner.
  const listed = (await repos.providers.directory({ limit: 100 })).items.slice(-SPREADS.length * 2);
  const primes: { id: string; owner: string }[] = [];
  for (const provider of listed) {
    const owner = (await repos.memberships.listForProvider(provider.id)).find((m) => m.role === 'owner')?.sub;
    if (owner) primes.push({ id: provider.id, owner });
    if (primes.length === SPREADS.length) break;
  }
  if (primes.length < SPREADS.length) return 'skipped: too few verified demo providers';

  let returns = 0;
  for (const [index, spread] of SPREADS.entries()) {
    const prime = primes[index] as { id: string; owner: string };
    const contract = await registerContract(
      repos,
      commissioner,
      {
        title: spread.title,
        primeProviderId: prime.id,
        valuePence: spread.valuePence,
        startDate,
        endDate,
        regions: spread.regions,
        services: ['accommodation'],
        subcontracting: { targetPercent: 12, voluntarySectorTargetPercent: 30 },
      },
      now,
      rules,
    );
    const owner = user(prime.owner);
    const subcontractors: SubcontractorInput[] = spread.chain.map((s, i) => ({
      ref: `S${index + 1}-${i + 1}`,
      name: s.name,
      sector: s.sector,
      size: s.size,
      services: ['accommodation'],
      plannedValuePence: Math.round((spread.valuePence * spread.share * s.part) / 100) * 100,
    }));
    await putSupplyChain(repos, owner, contract.id, { subcontractors }, now);
    // The quarter's value is about a twelfth of a three-year contract's.
    const quarterValue = spread.valuePence / 12;
    for (const [q, period] of periods.entries()) {
      const bounds = periodBounds(period) as { start: string };
      const spend = quarterValue * Math.max(0.01, spread.share + spread.growth * q);
      let n = 0;
      const lines = spread.chain.flatMap((s, i) =>
        // Two invoices per sub-contractor per quarter, split 60/40.
        [0.6, 0.4].map((split, k) => {
          n += 1;
          // Deterministic lateness: the nth invoice of the quarter is late when it falls in the late share.
          const late = ((n * 37 + q * 11 + index * 7) % 100) / 100 < spread.late;
          const paidDate = addDays(bounds.start, 20 + k * 35 + i * 3);
          return {
            position: n - 1,
            subcontractorRef: `S${index + 1}-${i + 1}`,
            invoiceRef: `S${index + 1}-${i + 1}-${period}-${k + 1}`,
            invoiceDate: addDays(paidDate, -(late ? 38 + ((n * 5) % 20) : 6 + ((n * 3) % 18))),
            paidDate,
            amountPence: Math.max(100, Math.round(spend * s.part * split)),
          };
        }),
      );
      await fileSpendReturn(
        repos,
        owner,
        contract.id,
        period,
        { format: 'json', issues: [], lines },
        now,
        rules,
      );
      returns += 1;
    }
  }
  return `${SPREADS.length} regional contracts, ${returns} returns over ${periods[0]}–${periods[periods.length - 1]}: see /commissioning/subcontracting`;
}
