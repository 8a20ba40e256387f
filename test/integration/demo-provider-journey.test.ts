/**
 * The demo data of the provider's side of competitions: `demo-owner`'s organisation applied to one
 * competition and submitted a bid in another, as "your competitions" shows them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { seedProviderJourney } from '../../local/demo/provider-journey';
import { DEMO_OWNER } from '../../local/demo/providers';
import { config } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { listCompetitionsTakingPart } from '../../shared/use-cases/tenders/taking-part';
import { accredit, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

beforeAll(async () => {
  await useTestTables();
});

describe('demo provider competitions', () => {
  it("give demo-owner's organisation an application and a submitted bid", async () => {
    const org = await verifiedProvider(DEMO_OWNER, 'Demo Owner Trust', {
      region: 'north_west',
      service: 'accommodation',
    });
    await accredit(DEMO_OWNER, org);
    const summary = await seedProviderJourney(repositories(), config().rules);
    expect(summary).toContain('submitted version 1');
    const page = await listCompetitionsTakingPart(
      withSharedProviderData(repositories()),
      user(DEMO_OWNER),
      { limit: 25 },
      new Date(),
    );
    expect(page.items.map((item) => item.standing.status).sort()).toEqual([
      'Applied',
      'Bid submitted (version 1)',
    ]);
  });
});
