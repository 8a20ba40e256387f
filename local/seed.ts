/**
 * Demo data for an empty data directory (`SEED=demo`, the default), written through the same use cases
 * the API runs, so it obeys every rule. Each capability adds its seeder to the list.
 */

/** A seeder writes one capability's demo data. */
type Seeder = { name: string; run: () => Promise<string> };

const seeders: Seeder[] = [];

/** Loads every capability's demo data and reports what it wrote. */
export async function seedDemoData(log: (line: string) => void): Promise<void> {
  if (seeders.length === 0) {
    log('Demo data: nothing to load yet.');
    return;
  }
  for (const seeder of seeders) log(`Demo data (${seeder.name}): ${await seeder.run()}`);
}
