/**
 * Demo data for an empty data directory (`SEED=demo`, the default), written through the same use cases
 * the API runs, so it obeys every rule. Each capability adds its seeder to the list.
 */
import { config } from '../shared/config';
import { repositories } from '../shared/db/repositories';
import { seedAlerts } from './demo/alerts';
import { seedCompetitions } from './demo/competitions';
import { seedDocuments } from './demo/documents';
import { seedPaymentByResults } from './demo/payment-by-results';
import { seedProviderJourney } from './demo/provider-journey';
import { seedProviders } from './demo/providers';
import { seedPublication } from './demo/publication';
import { seedQuestions } from './demo/questions';
import { seedSubcontracting } from './demo/subcontracting';
import { seedSubcontractingSpread } from './demo/subcontracting-dashboard';

/** A seeder writes one capability's demo data and says what it wrote. */
type Seeder = { name: string; run: () => Promise<string> };

const seeders: Seeder[] = [
  { name: 'providers', run: () => seedProviders(repositories()) },
  // Before the competitions: their publication is what the saved search's e-mail is about.
  { name: 'e-mail alerts', run: () => seedAlerts() },
  { name: 'competitions', run: () => seedCompetitions(repositories(), config().rules) },
  { name: 'provider competitions', run: () => seedProviderJourney(repositories(), config().rules) },
  { name: 'clarification questions', run: () => seedQuestions(repositories(), config().rules) },
  { name: 'tender documents', run: () => seedDocuments(repositories(), config().documents) },
  { name: 'subcontracting', run: () => seedSubcontracting(repositories(), config().rules) },
  { name: 'sub-contracting dashboard', run: () => seedSubcontractingSpread(repositories(), config().rules) },
  // After the dashboard's contracts: one of them, begun six quarters back, is paid by results.
  { name: 'payment by results', run: () => seedPaymentByResults(repositories()) },
  { name: 'published contract', run: () => seedPublication(repositories(), config().rules) },
];

/** Loads every capability's demo data and reports what it wrote. */
export async function seedDemoData(log: (line: string) => void): Promise<void> {
  const begun = Date.now();
  for (const seeder of seeders) {
    const started = Date.now();
    log(`Loading demo ${seeder.name}…`);
    log(`Demo ${seeder.name}: ${await seeder.run()} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  // The line the README's tour tells a newcomer to wait for.
  log(
    `Demo data loaded (${((Date.now() - begun) / 1000).toFixed(1)} s): see "A tour with the demo data" in README.md`,
  );
}
