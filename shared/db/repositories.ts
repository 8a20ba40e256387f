/**
 * The repositories, each built once per process from the module-scope client and the configured table
 * names. Use cases receive repositories as arguments, so tests can pass their own.
 */
import { config } from '../config';
import type { IdentityDirectory, IdentityLookup } from '../domain/sessions';
import { type AccreditationRepository, createAccreditationRepository } from './accreditations';
import { type AuditRepository, createAuditRepository } from './audit';
import { type BidRepository, createBidRepository } from './bids';
import { type ChallengeRepository, createChallengeRepository } from './challenges';
import { documentClient } from './client';
import { createCognitoIdentityDirectory } from './cognito-identities';
import { type CompetitionRepository, createCompetitionRepository } from './competitions';
import { type ContractRepository, createContractRepository } from './contracts';
import { createDocumentRepository, type DocumentRepository } from './documents';
import { createLocalIdentityStore, type LocalIdentityStore } from './local-identities';
import { createMembershipRepository, type MembershipRepository } from './memberships';
import { createNotificationRepository, type NotificationRepository } from './notifications';
import { createOutboxRepository, type OutboxRepository } from './outbox';
import { createOutboxWriter, type OutboxWriter } from './outbox-writer';
import { createOutcomeShareRepository, type OutcomeShareRepository } from './outcome-shares';
import { createPartnershipRepository, type PartnershipRepository } from './partnerships';
import { createPaymentByResultsRepository, type PaymentByResultsRepository } from './payment-by-results';
import { createPrequalificationRepository, type PrequalificationRepository } from './prequalification';
import { createProviderRepository, type ProviderRepository } from './providers';
import { createPublicationRepository, type PublicationRepository } from './publication';
import { createQuestionRepository, type QuestionRepository } from './questions';
import { createReminderStore, type ReminderStore } from './reminders';
import {
  createSessionDraftRepository,
  createSessionRepository,
  type SessionDraftRepository,
  type SessionRepository,
} from './sessions';
import { createSubcontractingRepository, type SubcontractingRepository } from './subcontracting';
import {
  createSubcontractingDashboardRepository,
  type SubcontractingDashboardRepository,
} from './subcontracting-dashboard';
import { createSubscriptionRepository, type SubscriptionRepository } from './subscriptions';
import { createTransparencyRepository, type TransparencyRepository } from './transparency';

/** Every repository. */
export interface Repositories {
  memberships: MembershipRepository;
  providers: ProviderRepository;
  accreditations: AccreditationRepository;
  notifications: NotificationRepository;
  competitions: CompetitionRepository;
  audit: AuditRepository;
  prequalification: PrequalificationRepository;
  partnerships: PartnershipRepository;
  bids: BidRepository;
  contracts: ContractRepository;
  subcontracting: SubcontractingRepository;
  paymentByResults: PaymentByResultsRepository;
  challenges: ChallengeRepository;
  questions: QuestionRepository;
  documents: DocumentRepository;
  publication: PublicationRepository;
  outbox: OutboxRepository;
}

const made: Partial<Repositories> = {};

/** Builds a repository on first use and keeps it for the life of the process. */
function once<K extends keyof Repositories>(key: K, build: () => Repositories[K]): Repositories[K] {
  made[key] ??= build();
  return made[key] as Repositories[K];
}

/*
 * One getter per repository, so a function's bundle holds only the repositories its handler names:
 * esbuild drops the getters (and the repository modules) nobody imports, which it cannot do for one
 * function that builds them all.
 */

/** The process-wide membership repository. */
export function membershipRepository(): MembershipRepository {
  return once('memberships', () =>
    createMembershipRepository({ client: documentClient(), tableName: config().tables.registry }),
  );
}

/** The process-wide provider repository. */
export function providerRepository(): ProviderRepository {
  return once('providers', () =>
    createProviderRepository({ client: documentClient(), tableName: config().tables.registry }),
  );
}

/** The process-wide accreditation repository. */
export function accreditationRepository(): AccreditationRepository {
  return once('accreditations', () =>
    createAccreditationRepository({ client: documentClient(), tableName: config().tables.registry }),
  );
}

/** The process-wide notification repository. */
export function notificationRepository(): NotificationRepository {
  return once('notifications', () =>
    createNotificationRepository({ client: documentClient(), tableName: config().tables.registry }),
  );
}

let writer: OutboxWriter | undefined;

/**
 * What changes put in the outbox (issue 17): events and taking-part marks, without the delivery's
 * repository (which the functions recording changes need not bundle).
 */
export function outboxWriter(): OutboxWriter {
  writer ??= createOutboxWriter({ tableName: config().tables.outbox });
  return writer;
}

/** The process-wide notification outbox (issue 17): the delivery's repository. */
export function outboxRepository(): OutboxRepository {
  return once('outbox', () =>
    createOutboxRepository({ client: documentClient(), tableName: config().tables.outbox }),
  );
}

/** The process-wide competition repository. */
export function competitionRepository(): CompetitionRepository {
  return once('competitions', () =>
    createCompetitionRepository({
      client: documentClient(),
      procurementTable: config().tables.procurement,
      sealedTable: config().tables.sealed,
    }),
  );
}

/** The process-wide audit repository. */
export function auditRepository(): AuditRepository {
  return once('audit', () =>
    createAuditRepository({
      client: documentClient(),
      tableName: config().tables.audit,
      tables: config().tables,
    }),
  );
}

/** The process-wide bid repository. */
export function bidRepository(): BidRepository {
  return once('bids', () =>
    createBidRepository({
      client: documentClient(),
      sealedTable: config().tables.sealed,
      procurementTable: config().tables.procurement,
    }),
  );
}

/** The process-wide contract repository. */
export function contractRepository(): ContractRepository {
  return once('contracts', () =>
    createContractRepository({ client: documentClient(), tableName: config().tables.procurement }),
  );
}

/** The process-wide sub-contracting repository. */
export function subcontractingRepository(): SubcontractingRepository {
  return once('subcontracting', () =>
    createSubcontractingRepository({ client: documentClient(), tableName: config().tables.subcontracting }),
  );
}

/** The process-wide payment-by-results repository (issue 18: the subcontracting table). */
export function paymentByResultsRepository(): PaymentByResultsRepository {
  return once('paymentByResults', () =>
    createPaymentByResultsRepository({ client: documentClient(), tableName: config().tables.subcontracting }),
  );
}

let outcomeShares: OutcomeShareRepository | undefined;

/** The process-wide shares of outcome payments passed to sub-contractors (issue 18: the subcontracting table). */
export function outcomeShareRepository(): OutcomeShareRepository {
  outcomeShares ??= createOutcomeShareRepository({
    client: documentClient(),
    tableName: config().tables.subcontracting,
  });
  return outcomeShares;
}

let subcontractingDashboard: SubcontractingDashboardRepository | undefined;

/** The process-wide reads of the sub-contracting dashboard (issue 16; not a use case's `Repositories`). */
export function subcontractingDashboardRepository(): SubcontractingDashboardRepository {
  subcontractingDashboard ??= createSubcontractingDashboardRepository({
    client: documentClient(),
    tableName: config().tables.subcontracting,
  });
  return subcontractingDashboard;
}

let reminders: ReminderStore | undefined;

/** The process-wide reads and marks of the scheduled reminders (issue 17; not a use case's `Repositories`). */
export function reminderStore(): ReminderStore {
  reminders ??= createReminderStore({
    client: documentClient(),
    procurementTable: config().tables.procurement,
    sealedTable: config().tables.sealed,
    subcontractingTable: config().tables.subcontracting,
    outboxTable: config().tables.outbox,
  });
  return reminders;
}

let subscriptions: SubscriptionRepository | undefined;

/** The process-wide repository of users' e-mail preferences and saved searches (issue 17; the registry). */
export function subscriptionRepository(): SubscriptionRepository {
  subscriptions ??= createSubscriptionRepository({
    client: documentClient(),
    tableName: config().tables.registry,
  });
  return subscriptions;
}

/** The process-wide clarification question repository (issue 15). */
export function questionRepository(): QuestionRepository {
  return once('questions', () =>
    createQuestionRepository({
      client: documentClient(),
      procurementTable: config().tables.procurement,
      registryTable: config().tables.registry,
    }),
  );
}

/** The process-wide standstill challenge repository (issue 15; sealed table, bidders' own partitions). */
export function challengeRepository(): ChallengeRepository {
  return once('challenges', () =>
    createChallengeRepository({
      client: documentClient(),
      sealedTable: config().tables.sealed,
      procurementTable: config().tables.procurement,
      registryTable: config().tables.registry,
    }),
  );
}

/** The process-wide tender document repository (issue 15; metadata, the files are in S3). */
export function documentRepository(): DocumentRepository {
  return once('documents', () =>
    createDocumentRepository({
      client: documentClient(),
      procurementTable: config().tables.procurement,
      sealedTable: config().tables.sealed,
    }),
  );
}

/** The process-wide OCDS publication repository (issue 16; the `publication` table). */
export function publicationRepository(): PublicationRepository {
  return once('publication', () =>
    createPublicationRepository({
      client: documentClient(),
      tableName: config().tables.publication,
      context: config().publication,
    }),
  );
}

let transparency: TransparencyRepository | undefined;

/**
 * The process-wide reads of the transparency pages and the contracts CSV (issue 16; the `publication`
 * table; not a use case's `Repositories`: only the functions that serve them build it).
 */
export function transparencyRepository(): TransparencyRepository {
  transparency ??= createTransparencyRepository({
    client: documentClient(),
    tableName: config().tables.publication,
  });
  return transparency;
}

/** The process-wide pre-qualification repository. */
export function prequalificationRepository(): PrequalificationRepository {
  return once('prequalification', () =>
    createPrequalificationRepository({
      client: documentClient(),
      procurementTable: config().tables.procurement,
      sealedTable: config().tables.sealed,
    }),
  );
}

/** The process-wide partnership repository (locally; in AWS providers reach it through `providerData`). */
export function partnershipRepository(): PartnershipRepository {
  return once('partnerships', () =>
    createPartnershipRepository({
      client: documentClient(),
      sealedTable: config().tables.sealed,
      procurementTable: config().tables.procurement,
    }),
  );
}

/*
 * Web sessions and the identity directory they check users against: the web functions only, so they are
 * kept apart from `Repositories` (which the local runner, demo data and tests build in full).
 */
let sessions: SessionRepository | undefined;
let localIdentities: LocalIdentityStore | undefined;
let directory: (IdentityDirectory & IdentityLookup) | undefined;

/** The process-wide web session repository (the sessions table). */
export function sessionRepository(): SessionRepository {
  sessions ??= createSessionRepository({ client: documentClient(), tableName: config().tables.sessions });
  return sessions;
}

let sessionDrafts: SessionDraftRepository | undefined;

/** The process-wide repository of session drafts (question pages' answers, in the sessions table). */
export function sessionDraftRepository(): SessionDraftRepository {
  sessionDrafts ??= createSessionDraftRepository({
    client: documentClient(),
    tableName: config().tables.sessions,
  });
  return sessionDrafts;
}

/** The process-wide local identity store (developer sign-in; `local-identities.ts`). */
export function localIdentityStore(): LocalIdentityStore {
  localIdentities ??= createLocalIdentityStore({
    client: documentClient(),
    tableName: config().tables.sessions,
  });
  return localIdentities;
}

/**
 * Where web sessions look their user up again: Cognito's user pool when sign-in goes through Cognito
 * (`WEB_COGNITO_ISSUER` names the pool), otherwise the local identity store the developer sign-in fills.
 * The same directory finds users by e-mail address (choosing a panel by e-mail).
 */
export function identityDirectory(): IdentityDirectory & IdentityLookup {
  if (!directory) {
    const issuer = config().web.cognitoIssuer;
    // In Lambda without Cognito no session can start; a directory that knows nobody ends any that claims to.
    directory = issuer
      ? createCognitoIdentityDirectory({ issuer })
      : config().web.localSignIn
        ? localIdentityStore()
        : { find: async () => undefined, findByEmail: async () => undefined };
  }
  return directory;
}

let all: Repositories | undefined;

/**
 * Every repository: for the local runner, demo data, the bench and tests. Handlers name the ones they
 * need with the getters above, to keep their bundles small.
 */
export function repositories(): Repositories {
  all ??= {
    memberships: membershipRepository(),
    providers: providerRepository(),
    accreditations: accreditationRepository(),
    notifications: notificationRepository(),
    competitions: competitionRepository(),
    audit: auditRepository(),
    bids: bidRepository(),
    contracts: contractRepository(),
    subcontracting: subcontractingRepository(),
    paymentByResults: paymentByResultsRepository(),
    prequalification: prequalificationRepository(),
    partnerships: partnershipRepository(),
    challenges: challengeRepository(),
    questions: questionRepository(),
    documents: documentRepository(),
    publication: publicationRepository(),
    outbox: outboxRepository(),
  };
  return all;
}
