/**
 * The repositories a handler needs, built once per process from the module-scope client and the
 * configured table names. Use cases receive repositories as arguments, so tests can pass their own.
 */
import { config } from '../config';
import { type AccreditationRepository, createAccreditationRepository } from './accreditations';
import { documentClient } from './client';
import { createMembershipRepository, type MembershipRepository } from './memberships';
import { createNotificationRepository, type NotificationRepository } from './notifications';
import { createProviderRepository, type ProviderRepository } from './providers';

/** Every repository. */
export interface Repositories {
  memberships: MembershipRepository;
  providers: ProviderRepository;
  accreditations: AccreditationRepository;
  notifications: NotificationRepository;
}

let cached: Repositories | undefined;

/** The process-wide repositories. */
export function repositories(): Repositories {
  if (cached) return cached;
  const client = documentClient();
  const { tables } = config();
  const registry = { client, tableName: tables.registry };
  cached = {
    memberships: createMembershipRepository(registry),
    providers: createProviderRepository(registry),
    accreditations: createAccreditationRepository(registry),
    notifications: createNotificationRepository(registry),
  };
  return cached;
}
