/**
 * The body of an admin's decision on a registration (`POST /providers/{id}/reject`), apart from the rest of
 * the provider schemas so the verification queue's pages check a reason exactly as the API does without
 * bundling every registration and accreditation schema. `providers.ts` re-exports it.
 */
import * as z from 'zod';
import { REJECTION_REASON_MAX } from '../../domain/provider-verification';

/** `POST /providers/{id}/reject` body: why, in words the organisation's members read and act on. */
export const rejectProviderBody = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1, 'Enter why the registration is rejected')
      .max(REJECTION_REASON_MAX, `Use at most ${REJECTION_REASON_MAX} characters`),
  })
  .strict()
  .meta({ id: 'ProviderRejection' });
