/**
 * The OCDS 1.1.5 shapes this service publishes (https://standard.open-contracting.org/1.1/en/schema/), and
 * the extensions it uses: only the fields the release builders fill in, so a type error, not a reviewer,
 * catches a field the schema does not know.
 *
 * Extensions (listed in every package's `extensions`):
 * - Party Scale (`parties[].details.scale`: micro, sme or large), as Contracts Finder and Find a Tender
 *   publish it;
 * - Enquiries (`tender.enquiries`): the clarification answers published to all, never their asker;
 * - VCSE (`parties[].details.vcse`), the flag Contracts Finder publishes on parties. No registered
 *   extension defines it, so the service serves its own small one (`vcse-extension.ts`) at
 *   `/ocds/extensions/vcse/extension.json`.
 */

/** The release tags this service writes (the closed releaseTag codelist; `compiled` for compiled releases). */
export type ReleaseTag =
  | 'tender'
  | 'tenderAmendment'
  | 'tenderCancellation'
  | 'award'
  | 'awardCancellation'
  | 'contract'
  | 'implementation'
  | 'compiled';

/** An amount: OCDS amounts are in the currency's major unit (pounds), as numbers. */
export interface OcdsValue {
  amount: number;
  currency: 'GBP';
}

/** A reference to a party in `parties`. */
export interface OrganizationReference {
  id: string;
  name: string;
}

/** Party scale (Party Scale extension): SMEs are `sme`, micro organisations `micro`. */
export type PartyScale = 'micro' | 'sme' | 'large';

/** A party: an organisation with its roles in the contracting process. */
export interface OcdsParty extends OrganizationReference {
  roles: string[];
  details?: { scale: PartyScale; vcse: boolean };
}

/** A period (ISO date-times). */
export interface OcdsPeriod {
  startDate?: string;
  endDate?: string;
}

/** A tender item: one service category, with the regions it is delivered in. */
export interface OcdsItem {
  id: string;
  description: string;
  classification: { scheme: string; id: string; description: string };
}

/** An amendment of the tender. */
export interface OcdsAmendment {
  id: string;
  date: string;
  rationale: string;
  description?: string;
}

/** A clarification answered to all (Enquiries extension): the published wording, never the asker. */
export interface OcdsEnquiry {
  id: string;
  description: string;
  answer: string;
  dateAnswered: string;
}

/** A tender document. */
export interface OcdsDocument {
  id: string;
  documentType?: string;
  title: string;
  datePublished?: string;
  dateModified?: string;
}

/** The tender section. */
export interface OcdsTender {
  id: string;
  title?: string;
  description?: string;
  status?: 'active' | 'cancelled' | 'complete';
  procuringEntity?: OrganizationReference;
  items?: OcdsItem[];
  value?: OcdsValue;
  procurementMethod?: 'open' | 'selective';
  procurementMethodDetails?: string;
  mainProcurementCategory?: 'services';
  awardCriteria?: 'ratedCriteria';
  awardCriteriaDetails?: string;
  submissionMethod?: string[];
  eligibilityCriteria?: string;
  tenderPeriod?: OcdsPeriod;
  numberOfTenderers?: number;
  tenderers?: OrganizationReference[];
  hasEnquiries?: boolean;
  enquiries?: OcdsEnquiry[];
  documents?: OcdsDocument[];
  amendments?: OcdsAmendment[];
}

/** An award. */
export interface OcdsAward {
  id: string;
  title?: string;
  status: 'pending' | 'active' | 'cancelled';
  date?: string;
  value?: OcdsValue;
  suppliers?: OrganizationReference[];
}

/** A spending transaction: the prime paying one sub-contractor. */
export interface OcdsTransaction {
  id: string;
  date: string;
  value: OcdsValue;
  payer: OrganizationReference;
  payee: OrganizationReference;
}

/** A contract. */
export interface OcdsContract {
  id: string;
  awardID: string;
  title?: string;
  status?: 'active';
  period?: OcdsPeriod;
  value?: OcdsValue;
  dateSigned?: string;
  implementation?: { transactions: OcdsTransaction[] };
}

/** A release before publication gives it its id and date (`shared/db/publication.ts`). */
export interface ReleaseDraft {
  ocid: string;
  tag: ReleaseTag[];
  initiationType: 'tender';
  language: 'en';
  parties: OcdsParty[];
  buyer: OrganizationReference;
  tender?: OcdsTender;
  awards?: OcdsAward[];
  contracts?: OcdsContract[];
}

/** A published release. */
export interface Release extends ReleaseDraft {
  /** Unique within the ocid (and the feed): `<ocid>-<publication number>`. */
  id: string;
  /** When it was published; never earlier than the release before it in the feed. */
  date: string;
}
