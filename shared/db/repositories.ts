/**
 * The repositories a handler needs, built once per process from the module-scope client and the
 * configured table names. Use cases receive repositories as arguments, so tests can pass their own.
 */
import { config } from '../config';
import { documentClient } from './client';
import { createMembershipRepository, type MembershipRepository } from './memberships';

/** Every repository. */
export interface Repositories {
  memberships: MembershipRepository;
}

let cached: Repositories | undefined;

/** The process-wide repositories. */
export function repositories(): Repositories {
  if (cached) return cached;
  const client = documentClient();
  const { tables } = config();
  cached = {
    memberships: createMembershipRepository({ client, tableName: tables.registry }),
  };
  return cached;
}
