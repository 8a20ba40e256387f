/**
 * Bounces and complaints (issue 17): each address SES reports as permanently bouncing, or whose reader
 * marked an e-mail as spam, goes on the suppression list, which the delivery honours before every send
 * (`OutboxRepository.isSuppressed`). Sending on to such an address harms the service's standing with mail
 * providers (and SES pauses accounts whose bounce or complaint rate climbs), and a complaint is a reader
 * saying "no more" in the only way their mail program offers.
 */
import type { OutboxRepository } from '../../db/outbox';
import type { SesFeedback } from '../../email/ses-feedback';

/** What `recordBounceOrComplaint` needs. */
export interface BounceDeps {
  outbox: Pick<OutboxRepository, 'suppress'>;
}

/**
 * Puts every address of a permanent bounce or a complaint on the suppression list (idempotent: an address
 * listed already is listed again, with the latest reason). `feedback` undefined (a transient bounce, any
 * other event) does nothing.
 * @returns how many addresses were listed.
 */
export async function recordBounceOrComplaint(
  deps: BounceDeps,
  feedback: SesFeedback | undefined,
): Promise<number> {
  if (!feedback) return 0;
  for (const address of feedback.recipients) {
    await deps.outbox.suppress(address, { type: feedback.type, at: feedback.at });
  }
  return feedback.recipients.length;
}
