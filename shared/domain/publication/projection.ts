/**
 * The public projection: the only facts the release builders accept. Each type is an allow-list, and each
 * projection copies its fields one by one by name – never a spread – so a field added to a competition, a
 * bid or a provider later reaches no release until someone adds it here, on purpose.
 *
 * What the ethical wall protects has no field here at all: the confidential section (budget ceiling,
 * pre-tender estimate, notes), the lead and the panel, declarations, exclusions and conflicts, bids (their
 * prices, content, sub-contractors and consortium), scores, moderation, the ranking, the award's rationale
 * and any override of the ranking, the shortlist, and challenges. Tenderers appear only in
 * `PublicAwardDecision`, which exists only once the award is decided. The published estimate
 * (`estimatedValuePence`) is the one the public competition page already shows; the award value is the
 * winner's price, published as every contract award notice publishes it.
 */
import type { Competition, Criterion, PrequalificationTier } from '../competitions';
import type { Coverage, Sector, Service, Size } from '../reference-data';

/** A competition as it may be published. */
export interface PublicTenderFacts {
  competitionId: string;
  title: string;
  description: string;
  services: Service[];
  regions: Coverage[];
  estimatedValuePence: number;
  termMonths: number;
  prequalificationTier: PrequalificationTier;
  prequalificationDeadline?: string;
  tenderDeadline: string;
  criteria: { name: string; kind: Criterion['kind']; weight: number }[];
  publishedAt?: string;
}

/** The public facts of a competition (copied field by field). */
export function publicTenderFacts(competition: Competition): PublicTenderFacts {
  const facts: PublicTenderFacts = {
    competitionId: competition.id,
    title: competition.title,
    description: competition.description,
    services: [...competition.services],
    regions: [...competition.regions],
    estimatedValuePence: competition.estimatedValuePence,
    termMonths: competition.termMonths,
    prequalificationTier: competition.prequalificationTier,
    tenderDeadline: competition.tenderDeadline,
    criteria: competition.criteria.map((c) => ({ name: c.name, kind: c.kind, weight: c.weight })),
  };
  if (competition.prequalificationDeadline !== undefined)
    facts.prequalificationDeadline = competition.prequalificationDeadline;
  if (competition.publishedAt !== undefined) facts.publishedAt = competition.publishedAt;
  return facts;
}

/** An organisation as it may be published: what the public directory shows of it. */
export interface PublicOrganisation {
  id: string;
  name: string;
  sector: Sector;
  size: Size;
}

/** The public facts of an organisation (copied field by field). */
export function publicOrganisation(provider: {
  id: string;
  name: string;
  sector: Sector;
  size: Size;
}): PublicOrganisation {
  return { id: provider.id, name: provider.name, sector: provider.sector, size: provider.size };
}

/** An organisation known by id and name only (its details were published before). */
export interface NamedOrganisation {
  id: string;
  name: string;
}

/** An award decision, once made: who won, for how much, and every organisation that tendered. */
export interface PublicAwardDecision {
  supplier: PublicOrganisation;
  valuePence: number;
  decidedAt: string;
  /** Every organisation whose bid was submitted when the award was decided (the supplier among them). */
  tenderers: PublicOrganisation[];
}

/** An award decision withdrawn (an upheld challenge), or cancelled with the competition. */
export interface PublicAwardWithdrawal {
  supplier: NamedOrganisation;
  withdrawnAt: string;
}

/** A contract as it may be published. */
export interface PublicContractFacts {
  contractId: string;
  title: string;
  /** The competition it came from; absent for contracts registered directly. */
  competitionId?: string;
  supplier: PublicOrganisation;
  valuePence: number;
  /** ISO dates (YYYY-MM-DD), inclusive. */
  startDate: string;
  endDate: string;
  /** When it was let (the award's confirmation). */
  signedAt: string;
}

/** One sub-contractor's payments in a spend return (summed), or none in an amendment that dropped it. */
export interface PublicPayment {
  /** The prime's own reference for the sub-contractor. */
  subcontractorRef: string;
  /** Its National Provider Network id, when it is registered. */
  providerId?: string;
  name: string;
  sector: Sector;
  size: Size;
  amountPence: number;
  /** The latest paid date of its lines (YYYY-MM-DD); absent when it was paid nothing. */
  lastPaidDate?: string;
}

/** An accepted spend return as it may be published: per sub-contractor totals, never invoice lines. */
export interface PublicSpendReturn {
  period: string;
  version: number;
  /** The last day of the period (YYYY-MM-DD). */
  periodEnd: string;
  payments: PublicPayment[];
}

/**
 * What a process's record has already published of its parties that a later release must say again. A
 * compiled release takes a party's `roles` whole from the latest release naming it (OCDS merges a list of
 * strings by replacing it), so a release naming an organisation lists every role it holds in the process,
 * including those an earlier release gave it – a tenderer later paid as a sub-contractor is both.
 */
export interface PublishedParties {
  /** The organisations the process's award decisions named as tenderers (public since the decision). */
  tendererIds: string[];
}

/** A clarification answer published to all: the published wording, never the asker. */
export interface PublicAnswer {
  questionId: string;
  question: string;
  answer: string;
  answeredAt: string;
}

/** A tender document's new version, once the competition is published. */
export interface PublicDocumentChange {
  documentId: string;
  title: string;
  kind: 'specification' | 'contract_terms' | 'pricing_schedule' | 'other';
  version: number;
  uploadedAt: string;
}

/** What changed in a published tender. */
export type PublicTenderChange =
  | { kind: 'deadline'; at: string; previousTenderDeadline: string }
  | { kind: 'answer'; answer: PublicAnswer }
  | { kind: 'document'; document: PublicDocumentChange };

/** A cancellation: by the lead (with the reason the public competition page shows), or by an upheld challenge. */
export interface PublicCancellation {
  cancelledAt: string;
  cause: 'commissioner' | 'challenge-upheld';
  /** The lead's stated reason; never given for a challenge, whose reasons are the parties' business. */
  reason?: string;
  /** The award decision the cancellation withdraws, when one had been published. */
  withdrawnAward?: PublicAwardWithdrawal;
}
