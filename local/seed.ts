/**
 * Demo data for an empty data directory (`SEED=demo`, the default), written through the same use cases
 * the API runs, so it obeys every rule. Each capability adds its seeder to the list.
 */
import { config } from '../shared/config';
import { repositories } from '../shared/db/repositories';
import { seedCompetitions } from './demo/competitions';
import { seedProviders } from './demo/providers';
import { seedSubcontracting } from './demo/subcontracting';

/** A seeder writes one capability's demo data and says what it wrote. */
type Seeder = { name: string; run: () => Promise<string> };

const seeders: Seeder[] = [
  { name: 'providers', run: () => seedProviders(repositories()) },
  { name: 'competitions', run: () => seedCompetitions(repositories(), config().rules) },
  { name: 'subcontracting', run: () => seedSubcontracting(repositories(), config().rules) },
];

/** Loads every capability's demo data and reports what it wrote. */
export async function seedDemoData(log: (line: string) => void): Promise<void> {
  for (const seeder of seeders) {
    const started = Date.now();
    log(`Loading demo ${seeder.name}…`);
    log(`Demo ${seeder.name}: ${await seeder.run()} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}
