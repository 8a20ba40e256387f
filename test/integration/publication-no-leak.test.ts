/**
 * Nothing the wall protects is ever published (issue 16, "Done when"; DESIGN.md §3a), over DynamoDB Local.
 *
 * One competition is taken from publication to a let contract and its spend returns with the real use cases,
 * every protected value a distinctive random token (or an amount no other figure shares): the confidential
 * section (notes, budget ceiling, pre-tender estimate), the lead and panel and their e-mail addresses,
 * declarations and their conflicts, an exclusion and its reason, questions not answered to all and the
 * wording the asker used, pre-qualification answers and marks, the bids (their answers, prices and the
 * sub-contractors they name), scores, justifications, moderation, the award's rationale, and challenges
 * with their decisions. After every stage the whole feed (every page, through the publication function)
 * and the process's record are read, validated against the OCDS schema, and scanned for every value.
 *
 * Tenderers – their names and ids – are protected until the award decision, and must then be named. What
 * the design publishes is asserted to be there: the title, the published answer in its published wording,
 * the new tender deadline, the winner and its price from the award decision, the contract, and the prime's
 * payments to its sub-contractors (summed, never the invoice lines).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import { ocidOf } from '../../shared/domain/publication/releases';
import { periodOf } from '../../shared/domain/subcontracting/dates';
import { shortlist } from '../../shared/use-cases/prequalification/evaluate-responses';
import { fileSpendReturn } from '../../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { confirmAward, decideAward } from '../../shared/use-cases/tenders/evaluation';
import { readRecord, readWholeFeed } from '../support/publication';
import { accredit, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import {
  amountNeedles,
  applyAll,
  BIDDERS,
  bidAll,
  challengeAll,
  markAll,
  publishWalledCompetition,
  rejectAll,
  scoreAndModerateAll,
  token,
  wallSecrets,
} from '../support/wall-secrets';

const MINUTE = 60_000;
const DAY = 86_400_000;
const REGION = 'east_of_england' as const;
const SERVICE = 'accommodation' as const;

const secrets = wallSecrets();
const { S, LEAD, E1, E2, E3, MOD, EXCLUDED } = secrets;
const { BIDS, PREQUALIFICATION, MARKS, JUSTIFICATIONS, MODERATION, CHALLENGES } = secrets;

const ORG = {
  W: { name: `${token('WinnerOrg')} Housing Trust`, owner: user(token('wowner')) },
  R: { name: `${token('RivalOrg')} Housing Trust`, owner: user(token('rowner')) },
  V: { name: `${token('ViewerOrg')} Housing Trust`, owner: user(token('vowner')) },
  // A registered sub-contractor of the winner's supply chain, which took no part in the competition.
  U: { name: `${token('SubOrg')} Community Interest Company`, owner: user(token('uowner')) },
} as const;
const orgIds: Record<keyof typeof ORG, string> = { W: '', R: '', V: '', U: '' };

/** A sub-contractor the winner's bid names (bid content, never published as such). */
const BID_SUBCONTRACTOR = token('BIDSUBNAME');
/** The unregistered sub-contractor of the supply chain: public once paid. */
const SUPPLY_CHAIN_NAME = `${token('LocalCharity')} Trust`;

const STAGES = [
  'published',
  'shortlisted',
  'tendering',
  'evaluation',
  'award',
  'contract',
  'returns',
] as const;
type Stage = (typeof STAGES)[number];
const atOrAfter = (stage: Stage, from: Stage) => STAGES.indexOf(stage) >= STAGES.indexOf(from);

interface Secret {
  label: string;
  needles: (string | RegExp)[];
  protectedAt: (stage: Stage) => boolean;
}
const always = () => true;
const untilAward = (stage: Stage) => !atOrAfter(stage, 'award');

const SECRETS: () => Secret[] = () => [
  { label: 'confidential notes', needles: [S.notes], protectedAt: always },
  { label: 'budget ceiling', needles: amountNeedles(S.budgetCeilingPence), protectedAt: always },
  { label: 'pre-tender estimate', needles: amountNeedles(S.preTenderEstimatePence), protectedAt: always },
  ...[LEAD, E1, E2, E3, MOD, EXCLUDED].flatMap((p, i) => [
    { label: `insider ${i} id`, needles: [p.sub], protectedAt: always },
    { label: `insider ${i} e-mail`, needles: [String(p.email).split('@')[0] as string], protectedAt: always },
  ]),
  { label: 'exclusion reason', needles: [S.exclusionReason], protectedAt: always },
  { label: 'declared conflict', needles: [S.conflictNature], protectedAt: always },
  { label: 'unanswered question', needles: [S.q1Unanswered], protectedAt: always },
  { label: 'privately answered question', needles: [S.q2Private, S.q2PrivateAnswer], protectedAt: always },
  {
    label: "the asker's wording of the published question",
    needles: [S.q3AskedWording],
    protectedAt: always,
  },
  { label: 'award rationale', needles: [S.awardRationale], protectedAt: always },
  { label: 'sub-contractor named in a bid', needles: [BID_SUBCONTRACTOR], protectedAt: always },
  ...BIDDERS.flatMap((b): Secret[] => [
    {
      label: `${b}'s name`,
      needles: [ORG[b].name.split(' ')[0] as string, orgIds[b]],
      protectedAt: untilAward,
    },
    { label: `${b}'s pre-qualification answer`, needles: [PREQUALIFICATION[b]], protectedAt: always },
    { label: `mark on ${b}'s response`, needles: [MARKS[b]], protectedAt: always },
    { label: `${b}'s bid`, needles: [BIDS[b].quality, BIDS[b].social], protectedAt: always },
    {
      label: `${b}'s price`,
      needles: amountNeedles(BIDS[b].pricePence),
      // The winner's price is the award's value, published with the decision.
      protectedAt: b === 'W' ? untilAward : always,
    },
    {
      label: `justifications of ${b}'s bid`,
      needles: [JUSTIFICATIONS[b].E1, JUSTIFICATIONS[b].E2],
      protectedAt: always,
    },
    { label: `moderation of ${b}'s bid`, needles: [MODERATION[b]], protectedAt: always },
  ]),
  ...(['R', 'V'] as const).flatMap((b) => [
    { label: `${b}'s challenge grounds`, needles: [CHALLENGES[b].grounds], protectedAt: always },
    { label: `decision on ${b}'s challenge`, needles: [CHALLENGES[b].reasons], protectedAt: always },
  ]),
];

let T0 = 0;
let competitionId = '';
let contractId = '';
let bidIds = { W: '', R: '', V: '' };
const rules = () => config().rules;
const at = (ms: number) => new Date(T0 + ms);

/** Every protected value `text` shows at `stage`, described for the failure message. */
function leaks(text: string, stage: Stage): string[] {
  const found: string[] = [];
  for (const secret of SECRETS()) {
    if (!secret.protectedAt(stage)) continue;
    for (const needle of secret.needles) {
      const index = typeof needle === 'string' ? text.indexOf(needle) : text.search(needle);
      if (index >= 0)
        found.push(`${stage}: ${secret.label}: …${text.slice(Math.max(0, index - 80), index + 80)}…`);
    }
  }
  return found;
}

/** Reads the whole feed and the record (both validated), and fails on any protected value. */
async function scan(stage: Stage): Promise<{ text: string; tags: string[] }> {
  const feed = await readWholeFeed();
  const record = await readRecord(ocidOf(config().publication, competitionId));
  const text = [...feed.pages.map((p) => p.text), record.text].join('\n');
  const found = leaks(text, stage);
  expect(found).toEqual([]);
  expect(text).toContain(TITLE);
  const tags = feed.releases.flatMap((r) => r.tag);
  if (!atOrAfter(stage, 'award')) {
    for (const release of feed.releases) {
      expect(release.parties.filter((p) => p.roles.includes('tenderer'))).toEqual([]);
      expect(release.tender?.tenderers).toBeUndefined();
    }
  }
  return { text, tags };
}

const TITLE = `Move-on housing ${token('Title')}`;

beforeAll(async () => {
  await useTestTables();
  T0 = Date.now();
  for (const key of ['W', 'R', 'V', 'U'] as const) {
    orgIds[key] = await verifiedProvider(ORG[key].owner.sub, ORG[key].name, {
      region: REGION,
      service: SERVICE,
    });
    if (key !== 'U') await accredit(ORG[key].owner.sub, orgIds[key]);
  }
});

describe('the OCDS feed never publishes what the wall protects', { timeout: 120_000 }, () => {
  it('when published: the tender and the answer to all, in its published wording only', async () => {
    competitionId = await publishWalledCompetition(secrets, {
      title: TITLE,
      region: REGION,
      service: SERVICE,
      t0: T0,
      rivalOrganisation: orgIds.R,
      rival: ORG.R.owner,
      publishedAsker: ORG.V.owner,
    });
    await applyAll(secrets, ORG, competitionId, at(10 * MINUTE));
    const { text, tags } = await scan('published');
    expect(tags).toEqual(['tender', 'tenderAmendment']);
    expect(text).toContain(S.q3PublishedWording);
    expect(text).toContain(S.q3Answer);
  });

  it('shortlisted: a new tender deadline is published; who was shortlisted, and the marks, are not', async () => {
    const responses = await markAll(secrets, orgIds, competitionId, at(7 * DAY + 5 * MINUTE));
    const deadline = at(15 * DAY).toISOString();
    await shortlist(
      repositories(),
      LEAD,
      competitionId,
      { responseIds: responses.map((r) => r.id), tenderDeadline: deadline },
      at(7 * DAY + 20 * MINUTE),
      { minTenderDays: 0 },
    );
    const { text, tags } = await scan('shortlisted');
    expect(tags).toEqual(['tender', 'tenderAmendment', 'tenderAmendment']);
    expect(text).toContain(deadline);
  });

  it('while tendering and in evaluation: no bid, score or moderation', async () => {
    bidIds = await bidAll(secrets, ORG, competitionId, at(7 * DAY + 30 * MINUTE), (b) =>
      b === 'W' ? [{ name: BID_SUBCONTRACTOR, services: [SERVICE], sharePercent: 10 }] : [],
    );
    await scan('tendering');
    await scoreAndModerateAll(secrets, competitionId, bidIds, at(15 * DAY + 10 * MINUTE));
    const { tags } = await scan('evaluation');
    expect(tags).toHaveLength(3);
  });

  it('at the award decision: the tenderers, the supplier and its price, and nothing of the evaluation', async () => {
    await decideAward(
      repositories(),
      LEAD,
      competitionId,
      { bidId: bidIds.W, rationale: S.awardRationale },
      at(15 * DAY + 30 * MINUTE),
      { standstillDays: 10 },
    );
    await challengeAll(secrets, ORG, competitionId, at(15 * DAY + 40 * MINUTE));
    await rejectAll(secrets, orgIds, competitionId, at(16 * DAY));
    const { text, tags } = await scan('award');
    expect(tags.at(-1)).toBe('award');
    for (const b of BIDDERS) expect(text).toContain(ORG[b].name);
    expect(amountNeedles(BIDS.W.pricePence).some((needle) => needle.test(text))).toBe(true);
  });

  it('when the contract is let, and as the prime pays its sub-contractors', async () => {
    const confirmed = await confirmAward(repositories(), LEAD, competitionId, at(26 * DAY));
    contractId = confirmed.contractId;
    const letting = await scan('contract');
    expect(letting.tags.at(-1)).toBe('contract');

    const owner = ORG.W.owner;
    await putSupplyChain(
      repositories(),
      owner,
      contractId,
      {
        subcontractors: [
          { ref: 'REG', providerId: orgIds.U, services: [SERVICE], plannedValuePence: 10_000_00 },
          {
            ref: 'LOCAL',
            name: SUPPLY_CHAIN_NAME,
            sector: 'voluntary',
            size: 'micro',
            services: [SERVICE],
            plannedValuePence: 5_000_00,
          },
        ],
      },
      at(26 * DAY),
    );
    const contract = await repositories().contracts.get(contractId);
    const start = contract?.startDate as string;
    const period = periodOf(start);
    // A day after the quarter the contract started in: that quarter's return may be filed.
    const quarterEnd = new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(-1)) * 3, 1));
    const filingAt = new Date(quarterEnd.getTime() + DAY);
    const line = (ref: string, invoice: string, pence: number) => ({
      position: 0,
      subcontractorRef: ref,
      invoiceRef: invoice,
      invoiceDate: start,
      paidDate: start,
      amountPence: pence,
    });
    const file = (lines: ReturnType<typeof line>[]) =>
      fileSpendReturn(
        repositories(),
        owner,
        contractId,
        period,
        { format: 'json', issues: [], lines },
        filingAt,
        rules(),
      );
    await file([
      line('REG', 'INV-1', 1_000_00),
      line('REG', 'INV-2', 234_00),
      line('LOCAL', 'INV-3', 500_00),
    ]);
    await file([line('REG', 'INV-1', 1_000_00)]);
    const { text, tags } = await scan('returns');
    expect(tags.slice(-2)).toEqual(['implementation', 'implementation']);
    expect(text).toContain(SUPPLY_CHAIN_NAME);
    expect(text).toContain(ORG.U.name);
    // Sums per sub-contractor, never the invoices.
    expect(text).not.toContain('INV-1');
    // The scan finds what it looks for: judged as if before the award, the tenderers and price show.
    const before = leaks(text, 'evaluation').join('\n');
    for (const label of ["W's name", "R's name", "V's name", "W's price"]) expect(before).toContain(label);
    const record = await readRecord(ocidOf(config().publication, competitionId));
    const compiled = record.body.records[0]?.compiledRelease;
    const transactions = compiled?.contracts?.[0]?.implementation?.transactions ?? [];
    expect(transactions.map((t) => [t.id, t.value.amount])).toEqual([
      [`${period}-REG`, 1000],
      [`${period}-LOCAL`, 0],
    ]);
  });
});
