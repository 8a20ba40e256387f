/**
 * The notification delivery for tests (issue 17): a local mail catcher and the outbox stream reader over
 * this file's tables, as `npm start` runs them, so a test makes a change and reads the e-mails it caused.
 * Addresses come from the local identity store (as the developer sign-in records them): `remember` one per
 * user before the change.
 */
import { type CaughtMail, type MailCatcher, startMailCatcher } from '../../local/mail-catcher';
import { type StreamReader, startOutboxDelivery } from '../../local/streams';
import { useTestTables } from './tables';

/** The service address links in test e-mails start with. */
export const TEST_SERVICE_URL = 'http://localhost:3999';

/** A running test delivery. */
export interface TestDelivery {
  catcher: MailCatcher;
  /** Waits until every outbox record written so far is handled (events expanded, e-mails sent). */
  drain(): Promise<void>;
  /** The e-mails caught for one address (after `drain`, and a moment for the catcher to file them). */
  mailTo(address: string): Promise<CaughtMail[]>;
  /** Every e-mail caught so far. */
  allMail(): Promise<CaughtMail[]>;
  /** Records a user's address, as a sign-in would. */
  remember(sub: string, email: string): Promise<void>;
  /** Stops reading the stream (the process "dies"); `start` reads on from where the stream holds records. */
  stopReading(): Promise<void>;
  startReading(options?: { batchSize?: number }): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a mail catcher and the delivery on this file's tables; stop it in `afterAll`. */
export async function startTestDelivery(options: { batchSize?: number } = {}): Promise<TestDelivery> {
  await useTestTables();
  const catcher = await startMailCatcher();
  let reader: StreamReader | undefined;
  const startReading = async (more: { batchSize?: number } = {}) => {
    const batchSize = more.batchSize ?? options.batchSize;
    reader = await startOutboxDelivery({
      endpoint: String(process.env.DYNAMODB_ENDPOINT),
      mailEndpoint: catcher.smtpEndpoint,
      serviceUrl: TEST_SERVICE_URL,
      idleMs: 20,
      ...(batchSize !== undefined ? { batchSize } : {}),
    });
  };
  await startReading();
  // The catcher files a message just after the SMTP server accepts it: a short pause lets the last one in.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 150));
  return {
    catcher,
    drain: async () => {
      await reader?.drain(60_000);
      await settle();
    },
    async mailTo(address) {
      await settle();
      return catcher
        .messages()
        .filter((mail) => mail.to.some((to) => to.toLowerCase() === address.toLowerCase()));
    },
    async allMail() {
      await settle();
      return catcher.messages();
    },
    async remember(sub, email) {
      const { localIdentityStore } = await import('../../shared/db/repositories');
      await localIdentityStore().save({ sub, email, groups: [], enabled: true }, new Date());
    },
    async stopReading() {
      await reader?.stop();
      reader = undefined;
    },
    startReading,
    async stop() {
      await reader?.stop();
      await catcher.stop();
    },
  };
}
