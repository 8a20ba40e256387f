/**
 * The audit sequencer for integration tests that write through use cases without the test API: it reads
 * this file's audit table's stream, as the local stack does, so `drain()` leaves every event chained.
 */
import { type StreamReader, startAuditSequencer } from '../../local/streams';
import { useTestTables } from './tables';

/** Starts the sequencer on this file's tables; stop it in `afterAll`. */
export async function startTestSequencer(): Promise<StreamReader> {
  await useTestTables();
  return startAuditSequencer({ endpoint: String(process.env.DYNAMODB_ENDPOINT), idleMs: 20 });
}
