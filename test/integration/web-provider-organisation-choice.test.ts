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
import { repositories } from '../../shared/db/repositories';
import { answerInvitation, inviteMember, removeMember } from '../../shared/use-cases/memberships';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { definePages, type PageMap } from '../../shared/web/page';
import { biddingFor, withOrganisationChoice } from '../../shared/web/pages/provider/organisation';
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
