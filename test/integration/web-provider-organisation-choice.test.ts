/**
 * "Which organisation are you bidding for?" (issue 15, consortium leftovers), through the bidding web
 * function over DynamoDB Local: a user who belongs to several organisations that may bid in a competition is
 * asked which one before the bid pages (GOV.UK radios, only the eligible ones), the choice is kept with the
 * session and checked again against the user's memberships on every request (never trusted: a choice of an
 * organisation the user does not belong to, or no longer belongs to, acts for nobody); a user with one
 * eligible organisation is never asked; the way back after choosing stays on this competition's pages.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/bidding';
import { config } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { answerInvitation, inviteMember, removeMember } from '../../shared/use-cases/memberships';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { getOwnBid, saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { definePages, type PageMap } from '../../shared/web/page';
import { biddingFor, choiceHref, withOrganisationChoice } from '../../shared/web/pages/provider/organisation';
import { openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, h1Count, pageText } from '../support/workspace';

const WHERE = { region: 'south_west', service: 'health' } as const;
const CHOOSE = '/your-competitions/{id}/organisation';
const BID = 'GET /your-competitions/{id}/bid';

let dora: SignedIn;
let ann: SignedIn;
let nina: SignedIn;
let doraHousing: string;
let doraFamilies: string;
let annOrg: string;
let open: string;

const chooser = (id: string) => `/your-competitions/${id}/organisation`;

beforeAll(async () => {
  await useTestTables();
  doraHousing = await verifiedProvider('choice-dora', 'Dora’s Housing Trust', WHERE);
  doraFamilies = await verifiedProvider('choice-dora', 'Dora’s Family Services', WHERE);
  // Registered, not verified: it cannot bid, so it is not offered.
  await registerProvider(
    repositories(),
    user('choice-dora'),
    {
      name: 'Dora’s New Venture',
      legalForm: 'unincorporated_association',
      sector: 'voluntary',
      size: 'micro',
      regions: [WHERE.region],
      services: [WHERE.service],
      contact: { name: 'Dora', email: 'dora@example.org' },
    },
    new Date(),
  );
  annOrg = await verifiedProvider('choice-ann', 'Ann’s Health Collective', WHERE);
  open = await openCompetition({ title: 'Health visiting in Devon', ...WHERE });
  dora = await signedIn('choice-dora');
  ann = await signedIn('choice-ann');
  nina = await signedIn('choice-nina');
});

describe('a user of several organisations that may bid', () => {
  it('is asked which one before the bid pages, starting from the task list or any task', async () => {
    const bid = await callPage(handler, BID, { who: dora, params: { id: open } });
    expect(bid.statusCode).toBe(303);
    const returnTo = encodeURIComponent(`/your-competitions/${open}/bid`);
    expect(bid.headers?.location).toBe(`${chooser(open)}?returnTo=${returnTo}`);
    const price = await callPage(handler, 'GET /your-competitions/{id}/bid/price', {
      who: dora,
      params: { id: open },
    });
    expect(price.statusCode).toBe(303);
    expect(price.headers?.location).toBe(
      `${chooser(open)}?returnTo=${encodeURIComponent(`/your-competitions/${open}/bid/price`)}`,
    );
  });

  it('shows GOV.UK radios of the organisations that may bid, and only those', async () => {
    const page = await callPage(handler, `GET ${CHOOSE}`, {
      who: dora,
      params: { id: open },
      query: { returnTo: `/your-competitions/${open}/bid` },
    });
    expect(page.statusCode).toBe(200);
    expect(h1Count(page.body)).toBe(1);
    const text = pageText(page);
    expect(text).toContain('Which organisation are you bidding for?');
    expect(text).toContain('Health visiting in Devon');
    expect(page.body).toContain(`name="organisation" type="radio" value="${doraHousing}"`);
    expect(page.body).toContain(`name="organisation" type="radio" value="${doraFamilies}"`);
    expect(text).not.toContain('New Venture');
    expect(page.body).toContain(`<title>Which organisation are you bidding for?`);
  });

  it('refuses no choice, and a choice of an organisation the user does not belong to, keeping nothing', async () => {
    for (const organisation of ['', annOrg, 'not-an-id']) {
      const refused = await callPage(handler, `POST ${CHOOSE}`, {
        who: dora,
        params: { id: open },
        form: { organisation, returnTo: `/your-competitions/${open}/bid` },
      });
      expect(refused.statusCode).toBe(400);
      expect(pageText(refused)).toContain('There is a problem');
      expect(pageText(refused)).toContain('Select the organisation you are bidding for');
      expect(refused.body).toContain('href="#organisation"');
    }
    const still = await callPage(handler, BID, { who: dora, params: { id: open } });
    expect(still.statusCode).toBe(303);
    expect(still.headers?.location).toContain(chooser(open));
  });

  it('goes back only to this competition’s pages after choosing', async () => {
    for (const returnTo of ['https://evil.example/phish', '//evil.example', '/your-competitions/other/bid']) {
      const chosen = await callPage(handler, `POST ${CHOOSE}`, {
        who: dora,
        params: { id: open },
        form: { organisation: doraFamilies, returnTo },
      });
      expect(chosen.statusCode).toBe(303);
      expect(chosen.headers?.location).toBe(`/your-competitions/${open}/bid`);
    }
    const toPrice = await callPage(handler, `POST ${CHOOSE}`, {
      who: dora,
      params: { id: open },
      form: { organisation: doraFamilies, returnTo: `/your-competitions/${open}/bid/price` },
    });
    expect(toPrice.headers?.location).toBe(`/your-competitions/${open}/bid/price`);
    // The choice is kept: the page is shown again with it selected.
    const again = await callPage(handler, `GET ${CHOOSE}`, { who: dora, params: { id: open } });
    expect(again.body).toMatch(new RegExp(`value="${doraFamilies}" checked`));
  });
});

describe('a user who has one organisation that may bid, or none', () => {
  it('is never asked: the chooser sends them straight on, and the bid page opens', async () => {
    const page = await callPage(handler, `GET ${CHOOSE}`, {
      who: ann,
      params: { id: open },
      query: { returnTo: `/your-competitions/${open}/bid/check` },
    });
    expect(page.statusCode).toBe(303);
    expect(page.headers?.location).toBe(`/your-competitions/${open}/bid/check`);
    const bid = await callPage(handler, BID, { who: ann, params: { id: open } });
    expect(bid.statusCode).toBe(200);
  });

  it('is refused the chooser when no organisation of theirs may bid', async () => {
    const page = await callPage(handler, `GET ${CHOOSE}`, { who: nina, params: { id: open } });
    expect(page.statusCode).toBe(403);
  });

  it('sends an anonymous visitor to sign in', async () => {
    const page = await callPage(handler, `GET ${CHOOSE}`, { params: { id: open } });
    expect(page.statusCode).toBe(303);
    expect(page.headers?.location).toMatch(/^\/sign-in\?returnTo=/);
  });
});

describe('the kept choice', () => {
  /** A page that says whom the wrapper resolved the request to act for. */
  const probe = definePages(
    withOrganisationChoice({
      'GET /your-competitions/{id}/bid': async (request) => ({
        statusCode: 200,
        body: biddingFor(request) ?? 'nobody chosen',
      }),
    } satisfies PageMap),
  );
  const ask = (who: SignedIn) =>
    callPage(probe['GET /your-competitions/{id}/bid'] as never, BID, { who, params: { id: open } });

  it('is checked against the user’s memberships on every request, never trusted', async () => {
    const ownerOne = await verifiedProvider('choice-fay', 'Fay’s Clinic', WHERE);
    const ownerTwo = await verifiedProvider('choice-gus', 'Gus’s Surgery', WHERE);
    const now = new Date();
    for (const [owner, org] of [
      ['choice-fay', ownerOne],
      ['choice-gus', ownerTwo],
    ] as const) {
      const invitation = await inviteMember(
        repositories(),
        user(owner),
        org,
        { sub: 'choice-eve', role: 'member' },
        now,
        config().rules.invitationValidDays,
      );
      await answerInvitation(repositories(), user('choice-eve'), invitation.id, 'accepted', now);
    }
    const eve = await signedIn('choice-eve');
    const chosen = await callPage(handler, `POST ${CHOOSE}`, {
      who: eve,
      params: { id: open },
      form: { organisation: ownerTwo, returnTo: `/your-competitions/${open}/bid` },
    });
    expect(chosen.statusCode).toBe(303);
    expect((await ask(eve)).body).toBe(ownerTwo);
    // Gus removes Eve from his surgery: her kept choice no longer acts for it, only the one organisation she
    // may still bid for does.
    await removeMember(repositories(), user('choice-gus'), ownerTwo, 'choice-eve', new Date());
    expect((await ask(eve)).body).toBe(ownerOne);
    // And once Fay removes her too, she acts for nobody, whatever her session kept.
    await removeMember(repositories(), user('choice-fay'), ownerOne, 'choice-eve', new Date());
    expect((await ask(eve)).body).toBe('nobody chosen');
  });
});

describe('the bid pages, for the organisation chosen', () => {
  let hal: SignedIn;
  let halAlpha: string;
  let halBeta: string;
  let both: string;
  const deps = () => withSharedProviderData(repositories());
  const bidOf = (providerId: string) => getOwnBid(deps(), user('choice-hal'), both, providerId);

  beforeAll(async () => {
    halAlpha = await verifiedProvider('choice-hal', 'Hal’s Alpha Homes', WHERE);
    halBeta = await verifiedProvider('choice-hal', 'Hal’s Beta Care', WHERE);
    both = await openCompetition({ title: 'Respite care in Torbay', ...WHERE });
    hal = await signedIn('choice-hal');
    // Alpha's bid, submitted before Hal chooses Beta on the pages.
    const alpha = {
      pricePence: 90_000_00,
      qualityResponses: { quality: 'Alpha’s answer.' },
      subcontractors: [],
      consortium: [],
    };
    await saveDraft(deps(), user('choice-hal'), both, { ...alpha, providerId: halAlpha }, new Date());
    await submitBid(deps(), user('choice-hal'), both, halAlpha, new Date());
  });

  it('saves, submits and withdraws the chosen organisation’s bid, never the other’s', async () => {
    const who = hal;
    const chosen = await callPage(handler, `POST ${CHOOSE}`, {
      who,
      params: { id: both },
      form: { organisation: halBeta, returnTo: `/your-competitions/${both}/bid` },
    });
    expect(chosen.statusCode).toBe(303);

    const list = await callPage(handler, BID, { who, params: { id: both } });
    expect(list.statusCode, pageText(list)).toBe(200);
    // Beta has no bid yet: the task list is not Alpha's submitted one.
    expect(pageText(list)).not.toContain('You submitted version');

    const answer = await callPage(handler, 'POST /your-competitions/{id}/bid/quality/{criterion}', {
      who,
      params: { id: both, criterion: 'quality' },
      form: { answer: 'Beta’s answer.', action: 'continue' },
    });
    expect(answer.statusCode, pageText(answer)).toBe(303);
    const price = await callPage(handler, 'POST /your-competitions/{id}/bid/price', {
      who,
      params: { id: both },
      form: { price: '1000', action: 'continue' },
    });
    expect(price.statusCode, pageText(price)).toBe(303);
    const draft = await bidOf(halBeta);
    expect(draft.draft?.qualityResponses.quality).toBe('Beta’s answer.');
    expect(draft.draft?.pricePence).toBe(1000_00);

    const check = await callPage(handler, 'GET /your-competitions/{id}/bid/check', {
      who,
      params: { id: both },
    });
    expect(check.statusCode, pageText(check)).toBe(200);
    expect(pageText(check)).toContain('Beta’s answer.'.replace('’', "'"));
    const submitted = await callPage(handler, 'POST /your-competitions/{id}/bid/submit', {
      who,
      params: { id: both },
    });
    expect(submitted.statusCode, pageText(submitted)).toBe(303);
    expect(submitted.headers?.location).toBe(`/your-competitions/${both}/bid/receipt`);
    expect((await bidOf(halBeta)).submitted).toMatchObject({ status: 'submitted', version: 1 });

    const withdrawn = await callPage(handler, 'POST /your-competitions/{id}/bid/withdraw', {
      who,
      params: { id: both },
    });
    expect(withdrawn.statusCode, pageText(withdrawn)).toBe(303);
    expect((await bidOf(halBeta)).status).toBe('withdrawn');

    // Alpha's bid is as it was: submitted, version 1, its own answer and price, no draft of Beta's.
    const alpha = await bidOf(halAlpha);
    expect(alpha.status).toBe('submitted');
    expect(alpha.submitted).toMatchObject({
      status: 'submitted',
      version: 1,
      content: { pricePence: 90_000_00 },
    });
    expect(alpha.submitted?.content.qualityResponses.quality).toBe('Alpha’s answer.');
    expect(alpha.draft?.qualityResponses.quality ?? 'Alpha’s answer.').toBe('Alpha’s answer.');
  });

  it('says on the task list which organisation the bid is for, with a way to change it', async () => {
    const list = await callPage(handler, BID, { who: hal, params: { id: both } });
    expect(list.statusCode).toBe(200);
    expect(pageText(list)).toMatch(/Bidding for Hal's Beta Care \( ?Change/);
    const href = choiceHref(both, `/your-competitions/${both}/bid`).replaceAll('&', '&amp;');
    expect(list.body).toContain(`href="${href}"`);
  });

  it('says nothing of it to a user with one organisation that may bid', async () => {
    // Ann's one organisation is kept as her choice when she opens the chooser: still nothing to change.
    await callPage(handler, `GET ${CHOOSE}`, { who: ann, params: { id: both } });
    const list = await callPage(handler, BID, { who: ann, params: { id: both } });
    expect(list.statusCode).toBe(200);
    expect(pageText(list)).not.toContain('Bidding for');
  });
});
