/**
 * A partner's "your competitions" (issue 15, consortium leftovers), through the bidding web function over
 * DynamoDB Local: when an owner agrees that their organisation may be named in another organisation's bid
 * (`/your-competitions/{id}/partnership`, or `POST /competitions/{id}/partnerships` through the same use
 * case), the competition appears on the partner's list, written in the same transaction as the agreement,
 * with its part and what to do next – and never with anything of the lead's bid, which the partner's members
 * may not read (its status, version or outcome). A refused agreement lists nothing; an organisation that
 * both bids and partners shows both rows; the list pages through every row once. The message a bidder gets
 * when a named organisation has not agreed speaks to a person (the page, not the API call).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/bidding';
import { config } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { answerInvitation, inviteMember } from '../../shared/use-cases/memberships';
import { saveDraft } from '../../shared/use-cases/tenders/bidder';
import { agreeToBeNamed } from '../../shared/use-cases/tenders/partnerships';
import { listCompetitionsTakingPart } from '../../shared/use-cases/tenders/taking-part';
import { openCompetition, user, verifiedProvider } from '../support/scenario';
import { dataSnapshot } from '../support/table-snapshot';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, pageText } from '../support/workspace';

const HOUR = 3_600_000;
const WHERE = { region: 'yorkshire_humber', service: 'accommodation' } as const;
const AGREE = 'POST /your-competitions/{id}/partnership';
const LIST = 'GET /your-competitions';

/** The summary card of one competition on a "your competitions" page, as text ('' when not listed). */
function cardsOf(body: string, title: string): string[] {
  return body
    .split('govuk-summary-card"')
    .slice(1)
    .filter((card) => card.includes(title))
    .map((card) => pageText(card));
}

let ann: SignedIn;
let carl: SignedIn;
let cara: SignedIn;
let annOrg: string;
let carlOrg: string;
let housing: string;
let families: string;

beforeAll(async () => {
  await useTestTables();
  annOrg = await verifiedProvider('partner-ann', 'Ann’s Community Trust', WHERE);
  carlOrg = await verifiedProvider('partner-carl', 'Carl’s Housing Co-op', WHERE);
  housing = await openCompetition({ title: 'Move-on housing for Leeds', ...WHERE });
  families = await openCompetition({ title: 'Family support in Hull', ...WHERE });
  // Cara is a plain member of Carl's co-op: she sees its list, not the agreement form.
  const now = new Date();
  const invitation = await inviteMember(
    repositories(),
    user('partner-carl'),
    carlOrg,
    { sub: 'partner-cara', role: 'member' },
    now,
    config().rules.invitationValidDays,
  );
  await answerInvitation(repositories(), user('partner-cara'), invitation.id, 'accepted', now);
  ann = await signedIn('partner-ann');
  carl = await signedIn('partner-carl');
  cara = await signedIn('partner-cara');
});

describe('a partner’s your competitions', () => {
  it('lists nothing for an agreement that was refused (after the tender deadline), and nothing is written', async () => {
    const before = await dataSnapshot();
    const refused = await callPage(handler, AGREE, {
      who: carl,
      params: { id: families },
      form: { providerId: carlOrg, lead: annOrg, role: 'subcontractor' },
      at: Date.now() + 2 * HOUR,
    });
    expect(refused.statusCode).toBe(400);
    expect(pageText(refused)).toContain('The tender deadline has passed');
    expect(await dataSnapshot()).toEqual(before);
    const list = await callPage(handler, LIST, { who: carl });
    expect(pageText(list)).toContain('Your organisations do not take part in any competition yet');
  });

  it('lists the competition once the owner agrees on the web, with the part and what to do next', async () => {
    const agreed = await callPage(handler, AGREE, {
      who: carl,
      params: { id: housing },
      form: { providerId: carlOrg, lead: annOrg, role: 'subcontractor' },
    });
    expect(agreed.statusCode).toBe(303);
    const list = await callPage(handler, LIST, { who: carl });
    expect(list.statusCode).toBe(200);
    const [card, ...others] = cardsOf(list.body, 'Move-on housing for Leeds');
    expect(others).toEqual([]);
    expect(card).toContain("Carl's Housing Co-op");
    expect(card).toContain('Sub-contractor');
    expect(card).toContain("You agreed to be part of Ann's Community Trust's bid");
    expect(card).toMatch(/Closes (today at|tomorrow, on)/);
    // A plain member of the co-op sees it too: the list is the organisation's.
    const member = await callPage(handler, LIST, { who: cara });
    expect(cardsOf(member.body, 'Move-on housing for Leeds')).toHaveLength(1);
    // The lead's own list is not changed by its partner's agreement.
    const lead = await callPage(handler, LIST, { who: ann });
    expect(cardsOf(lead.body, 'Move-on housing for Leeds')).toEqual([]);
  });

  it('never shows the partner anything of the lead’s bid: its status, version, outcome or pages', async () => {
    const deps = withSharedProviderData(repositories());
    await saveDraft(
      deps,
      user('partner-ann'),
      housing,
      {
        pricePence: 48_000_00,
        qualityResponses: { quality: 'A caseworker for every tenant.' },
        subcontractors: [
          {
            providerId: carlOrg,
            name: 'Carl’s Housing Co-op',
            services: ['accommodation'],
            sharePercent: 20,
          },
        ],
        consortium: [],
      },
      new Date(),
    );
    for (const later of [0, 2 * HOUR]) {
      const list = await callPage(handler, LIST, { who: carl, at: Date.now() + later });
      const [card] = cardsOf(list.body, 'Move-on housing for Leeds');
      expect(card).toBeDefined();
      expect(card).not.toMatch(/Bid (in progress|submitted|being evaluated|withdrawn)|Successful|debrief/i);
      expect(list.body).not.toContain(`/your-competitions/${housing}/bid`);
      expect(list.body).not.toContain(`/your-competitions/${housing}/debrief`);
      if (later > 0) expect(card).toContain('Nothing to do now');
    }
  });

  it('shows both rows when the partner also bids itself, and a bid write keeps the partner row', async () => {
    const deps = withSharedProviderData(repositories());
    await saveDraft(
      deps,
      user('partner-carl'),
      housing,
      { pricePence: 51_000_00, qualityResponses: {}, subcontractors: [], consortium: [] },
      new Date(),
    );
    const list = await callPage(handler, LIST, { who: carl });
    const cards = cardsOf(list.body, 'Move-on housing for Leeds');
    expect(cards).toHaveLength(2);
    expect(cards.some((c) => c.includes('Bid in progress'))).toBe(true);
    expect(cards.some((c) => c.includes("You agreed to be part of Ann's Community Trust's bid"))).toBe(true);
  });

  it('lists an agreement given through the JSON route’s use case, once, however often it is given', async () => {
    const deps = withSharedProviderData(repositories());
    const agreement = { providerId: carlOrg, bidderId: annOrg, role: 'consortium-member' as const };
    await agreeToBeNamed(deps, user('partner-carl'), families, agreement, new Date());
    const again = await agreeToBeNamed(deps, user('partner-carl'), families, agreement, new Date());
    expect(again.created).toBe(false);
    const list = await callPage(handler, LIST, { who: carl });
    const [card, ...others] = cardsOf(list.body, 'Family support in Hull');
    expect(others).toEqual([]);
    expect(card).toContain('Consortium member');
    expect(card).toContain("You agreed to be part of Ann's Community Trust's bid");
  });

  it('pages through every row once, the partner rows among the organisation’s own', async () => {
    const deps = withSharedProviderData(repositories());
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await listCompetitionsTakingPart(
        deps,
        user('partner-carl'),
        { limit: 1, ...(cursor ? { cursor } : {}) },
        new Date(),
      );
      seen.push(...page.items.map((item) => `${item.title}: ${item.standing.status}`));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    // Newest competition first; within one, the partner row before the organisation's own.
    expect(seen).toEqual([
      'Family support in Hull: Consortium member',
      'Move-on housing for Leeds: Sub-contractor',
      'Move-on housing for Leeds: Bid in progress',
    ]);
  });
});

describe('a bid naming an organisation that has not agreed', () => {
  it('tells the bidder in plain words who must agree and where, not the API call', async () => {
    const dan = await verifiedProvider('partner-dan', 'Dan’s Day Centre', WHERE);
    const deps = withSharedProviderData(repositories());
    await saveDraft(
      deps,
      user('partner-ann'),
      families,
      {
        pricePence: 30_000_00,
        qualityResponses: { quality: 'Family workers in every school.' },
        subcontractors: [
          { providerId: dan, name: 'Dan’s Day Centre', services: ['accommodation'], sharePercent: 10 },
        ],
        consortium: [],
      },
      new Date(),
    );
    const refused = await callPage(handler, 'POST /your-competitions/{id}/bid/submit', {
      who: ann,
      params: { id: families },
      form: {},
    });
    expect(refused.statusCode).toBe(400);
    const text = pageText(refused);
    expect(text).toContain('has not agreed to be named');
    expect(text).toMatch(/Ask an owner of .* to agree/);
    expect(text).toContain('Agree to be named');
    expect(text).not.toContain('POST /competitions');
  });
});
