/**
 * What every e-mail the delivery sends needs besides its words: where the service is (every link starts
 * there), its name, and the one-click unsubscribe address for the reader and the kind.
 */
import type { DeliveryDeps } from './deliver';
import { unsubscribeUrl } from './unsubscribe';

/** The service's name at the top of every e-mail, as the pages' header says it. */
export const EMAIL_SERVICE_NAME = 'Offender services provider network';

/**
 * The delivery's settings.
 * @param input.serviceUrl `SERVICE_URL`, no trailing slash.
 * @param input.unsubscribeKey the key unsubscribe tokens are signed with (`POST /unsubscribe/{token}` checks
 *   them with the same key).
 */
export function deliverySettings(input: {
  serviceUrl: string;
  unsubscribeKey: Uint8Array;
}): DeliveryDeps['settings'] {
  const { serviceUrl, unsubscribeKey } = input;
  return {
    serviceUrl,
    serviceName: EMAIL_SERVICE_NAME,
    unsubscribeUrl: (target) => unsubscribeUrl(serviceUrl, unsubscribeKey, target),
  };
}
