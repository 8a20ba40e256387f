/**
 * Release builders (pure): one OCDS release draft per public change of a contracting process, made only
 * from the public projection (`projection.ts`). Publication gives each draft its id and date
 * (`shared/db/publication.ts`).
 *
 * One contracting process per competition, `ocid` = the configured prefix + the competition's id; a contract
 * registered directly (no competition) is a process of its own, named by the contract's id. Each release
 * carries, for every party it names, all the roles that party has by then, because a compiled release
 * replaces a party's `roles` wholesale with the latest release's (`compile.ts`).
 *
 * Award ids are `award-<supplier id>`: the same from the decision through the contract to the spend
 * returns (none of which needs to know when the award was decided), and a withdrawn award re-decided for
 * the same organisation is the same award again, pending once more.
 */
import type { PublicationSettings } from '../../config';
import type { Coverage, Sector, Service, Size } from '../reference-data';
import type {
  OcdsAward,
  OcdsParty,
  OcdsTender,
  OcdsTransaction,
  OcdsValue,
  OrganizationReference,
  PartyScale,
  ReleaseDraft,
  ReleaseTag,
} from './ocds';
import type {
  NamedOrganisation,
  PublicAwardDecision,
  PublicAwardWithdrawal,
  PublicCancellation,
  PublicContractFacts,
  PublicOrganisation,
  PublicSpendReturn,
  PublicTenderChange,
  PublicTenderFacts,
  PublishedParties,
} from './projection';

/** What every release needs to know of its publisher. */
export type PublicationContext = Pick<PublicationSettings, 'ocidPrefix' | 'publisherName' | 'buyerId'>;

/** The ocid of a contracting process: the prefix, a hyphen, the competition's (or direct contract's) id. */
export function ocidOf(context: Pick<PublicationContext, 'ocidPrefix'>, processId: string): string {
  return `${context.ocidPrefix}-${processId}`;
}

/** The award id of an award to an organisation (see the module comment). */
export function awardIdOf(supplierId: string): string {
  return `award-${supplierId}`;
}

/** Pence as an OCDS value in pounds. */
export function money(pence: number): OcdsValue {
  return { amount: pence / 100, currency: 'GBP' };
}

/** The party scale of a size: micro stays micro, small and medium are SMEs. */
export function scaleOf(size: Size): PartyScale {
  if (size === 'micro') return 'micro';
  return size === 'large' ? 'large' : 'sme';
}

/** Whether a sector counts as voluntary, community or social enterprise (as the figures count it). */
export function isVcse(sector: Sector): boolean {
  return sector === 'voluntary';
}

const dayStart = (day: string) => `${day}T00:00:00Z`;
const dayEnd = (day: string) => `${day}T23:59:59Z`;

const WORDS: Record<string, string> = {
  north_east: 'North East',
  north_west: 'North West',
  yorkshire_humber: 'Yorkshire and the Humber',
  east_midlands: 'East Midlands',
  west_midlands: 'West Midlands',
  east_of_england: 'East of England',
  south_east: 'South East',
  south_west: 'South West',
  national: 'every region',
  education_training_employment: 'Education, training and employment',
  drugs_alcohol: 'Drugs and alcohol',
  finance_benefit_debt: 'Finance, benefit and debt',
  children_families: 'Children and families',
  attitudes_thinking_behaviour: 'Attitudes, thinking and behaviour',
};

/** A code in words (`unpaid_work` → `Unpaid work`). */
function words(code: string): string {
  const known = WORDS[code];
  if (known) return known;
  const spaced = code.replace(/_/g, ' ');
  return `${spaced.charAt(0).toUpperCase()}${spaced.slice(1)}`;
}

/** The scheme of the service categories' codes (an open codelist: the service's own categories). */
export const SERVICE_SCHEME = 'x_offenderServiceCategory';

const reference = (party: { id: string; name: string }): OrganizationReference => ({
  id: party.id,
  name: party.name,
});

function buyerOf(context: PublicationContext): OrganizationReference {
  return { id: context.buyerId, name: context.publisherName };
}

function buyerParty(context: PublicationContext): OcdsParty {
  return { ...buyerOf(context), roles: ['buyer', 'procuringEntity'] };
}

/** A party with its details (scale and VCSE) and the roles it has by now. */
function party(organisation: PublicOrganisation, roles: string[]): OcdsParty {
  return {
    id: organisation.id,
    name: organisation.name,
    roles,
    details: { scale: scaleOf(organisation.size), vcse: isVcse(organisation.sector) },
  };
}

function draft(
  context: PublicationContext,
  processId: string,
  tag: ReleaseTag[],
  parts: Omit<ReleaseDraft, 'ocid' | 'tag' | 'initiationType' | 'language' | 'buyer' | 'parties'> & {
    parties?: OcdsParty[];
  },
): ReleaseDraft {
  const { parties = [], ...rest } = parts;
  return {
    ocid: ocidOf(context, processId),
    tag,
    initiationType: 'tender',
    language: 'en',
    parties: [buyerParty(context), ...parties],
    buyer: buyerOf(context),
    ...rest,
  };
}

function regionsInWords(regions: readonly Coverage[]): string {
  return regions.map(words).join(', ');
}

/** The tender as published, in full. */
function tenderSection(
  context: PublicationContext,
  facts: PublicTenderFacts,
  status: NonNullable<OcdsTender['status']>,
): OcdsTender {
  const selective = facts.prequalificationTier !== 'none';
  const tender: OcdsTender = {
    id: facts.competitionId,
    title: facts.title,
    description: facts.description,
    status,
    procuringEntity: buyerOf(context),
    items: facts.services.map((service: Service) => ({
      id: service,
      description: `${words(service)}, delivered in ${regionsInWords(facts.regions)}`,
      classification: { scheme: SERVICE_SCHEME, id: service, description: words(service) },
    })),
    value: money(facts.estimatedValuePence),
    procurementMethod: selective ? 'selective' : 'open',
    procurementMethodDetails: selective
      ? `Competitive, with pre-qualification (${facts.prequalificationTier} questionnaire): shortlisted organisations are invited to tender. Contract term ${facts.termMonths} months.`
      : `Open: any verified organisation of the National Provider Network may tender, with no pre-qualification. Contract term ${facts.termMonths} months.`,
    mainProcurementCategory: 'services',
    awardCriteria: 'ratedCriteria',
    awardCriteriaDetails: facts.criteria
      .map((c) => `${c.name} (${c.kind === 'price' ? 'price' : 'quality'}): ${c.weight}%`)
      .join('; '),
    submissionMethod: ['electronicSubmission'],
    tenderPeriod: {
      ...(facts.publishedAt && !selective ? { startDate: facts.publishedAt } : {}),
      endDate: facts.tenderDeadline,
    },
  };
  if (selective && facts.prequalificationDeadline) {
    tender.eligibilityCriteria = `Verified organisations of the National Provider Network apply through the ${facts.prequalificationTier} pre-qualification questionnaire by ${facts.prequalificationDeadline}.`;
  }
  return tender;
}

/** `tender`: a competition is published. */
export function tenderRelease(context: PublicationContext, facts: PublicTenderFacts): ReleaseDraft {
  return draft(context, facts.competitionId, ['tender'], {
    tender: tenderSection(context, facts, 'active'),
  });
}

/** `tenderAmendment`: a published tender changed – its deadline, an answer to all, a document. */
export function tenderAmendmentRelease(
  context: PublicationContext,
  facts: PublicTenderFacts,
  change: PublicTenderChange,
): ReleaseDraft {
  const tender = tenderSection(context, facts, 'active');
  switch (change.kind) {
    case 'deadline':
      tender.amendments = [
        {
          id: `deadline-${change.at}`,
          date: change.at,
          rationale: 'The tender deadline changed',
          description: `Tenders now close ${facts.tenderDeadline} (previously ${change.previousTenderDeadline}).`,
        },
      ];
      break;
    case 'answer': {
      const { answer } = change;
      tender.hasEnquiries = true;
      tender.enquiries = [
        {
          id: answer.questionId,
          description: answer.question,
          answer: answer.answer,
          dateAnswered: answer.answeredAt,
        },
      ];
      tender.amendments = [
        {
          id: `answer-${answer.questionId}`,
          date: answer.answeredAt,
          rationale: 'A clarification answer was published to all',
        },
      ];
      break;
    }
    case 'document': {
      const { document } = change;
      const type = DOCUMENT_TYPES[document.kind];
      tender.documents = [
        {
          id: document.documentId,
          ...(type ? { documentType: type } : {}),
          title: document.title,
          ...(document.version === 1
            ? { datePublished: document.uploadedAt }
            : { dateModified: document.uploadedAt }),
        },
      ];
      tender.amendments = [
        {
          id: `document-${document.documentId}-v${document.version}`,
          date: document.uploadedAt,
          rationale:
            document.version === 1
              ? `A tender document was added: ${document.title}`
              : `A tender document changed: ${document.title} is now version ${document.version}`,
        },
      ];
      break;
    }
  }
  return draft(context, facts.competitionId, ['tenderAmendment'], { tender });
}

/** The documentType codelist's code for each kind of tender document (none for `other`). */
const DOCUMENT_TYPES: Record<string, string | undefined> = {
  specification: 'technicalSpecifications',
  contract_terms: 'contractDraft',
  pricing_schedule: 'billOfQuantity',
};

/** The award a withdrawal cancels, and its supplier back to being a tenderer only. */
function withdrawal(withdrawn: PublicAwardWithdrawal): { award: OcdsAward; party: OcdsParty } {
  return {
    award: { id: awardIdOf(withdrawn.supplier.id), status: 'cancelled' },
    party: namedParty(withdrawn.supplier, ['tenderer']),
  };
}

/** A party named again without details: its details from an earlier release stay in the compiled release. */
function namedParty(organisation: NamedOrganisation, roles: string[]): OcdsParty {
  return { id: organisation.id, name: organisation.name, roles };
}

/**
 * `tenderCancellation`: the competition is cancelled – by the lead, with the reason the public page shows,
 * or by an upheld challenge (no reason: a challenge's reasons are its parties' business). When an award
 * decision had been published it is cancelled in the same release (`awardCancellation` too).
 */
export function tenderCancellationRelease(
  context: PublicationContext,
  facts: PublicTenderFacts,
  cancellation: PublicCancellation,
): ReleaseDraft {
  const tender = tenderSection(context, facts, 'cancelled');
  tender.amendments = [
    {
      id: `cancellation-${cancellation.cancelledAt}`,
      date: cancellation.cancelledAt,
      rationale:
        cancellation.cause === 'commissioner'
          ? 'The commissioner cancelled the competition'
          : 'A challenge of the award decision was upheld and the competition cancelled',
      ...(cancellation.reason !== undefined ? { description: cancellation.reason } : {}),
    },
  ];
  const withdrawn = cancellation.withdrawnAward ? withdrawal(cancellation.withdrawnAward) : undefined;
  return draft(
    context,
    facts.competitionId,
    withdrawn ? ['tenderCancellation', 'awardCancellation'] : ['tenderCancellation'],
    {
      tender,
      ...(withdrawn ? { parties: [withdrawn.party], awards: [withdrawn.award] } : {}),
    },
  );
}

/**
 * `award`: the award decision. From here the tenderers are public: every organisation whose bid stood at
 * the decision, and the supplier (pending: the standstill period runs until the award is confirmed).
 */
export function awardRelease(
  context: PublicationContext,
  facts: Pick<PublicTenderFacts, 'competitionId' | 'title'>,
  decision: PublicAwardDecision,
): ReleaseDraft {
  const tenderers = [...decision.tenderers];
  if (!tenderers.some((t) => t.id === decision.supplier.id)) tenderers.push(decision.supplier);
  return draft(context, facts.competitionId, ['award'], {
    parties: tenderers.map((t) =>
      party(t, t.id === decision.supplier.id ? ['tenderer', 'supplier'] : ['tenderer']),
    ),
    tender: {
      id: facts.competitionId,
      status: 'active',
      numberOfTenderers: tenderers.length,
      tenderers: tenderers.map(reference),
    },
    awards: [
      {
        id: awardIdOf(decision.supplier.id),
        title: facts.title,
        status: 'pending',
        date: decision.decidedAt,
        value: money(decision.valuePence),
        suppliers: [reference(decision.supplier)],
      },
    ],
  });
}

/** `awardCancellation`: an upheld challenge withdrew the award decision; the bids are evaluated again. */
export function awardCancellationRelease(
  context: PublicationContext,
  facts: Pick<PublicTenderFacts, 'competitionId'>,
  withdrawn: PublicAwardWithdrawal,
): ReleaseDraft {
  const { award, party: supplier } = withdrawal(withdrawn);
  return draft(context, facts.competitionId, ['awardCancellation'], {
    parties: [supplier],
    tender: { id: facts.competitionId, status: 'active' },
    awards: [award],
  });
}

/** The award and contract sections of a let contract. */
function contractSections(contract: PublicContractFacts): {
  award: OcdsAward;
  contract: ReleaseDraft['contracts'];
} {
  const awardID = awardIdOf(contract.supplier.id);
  return {
    award: {
      id: awardID,
      status: 'active',
      value: money(contract.valuePence),
      suppliers: [reference(contract.supplier)],
    },
    contract: [
      {
        id: contract.contractId,
        awardID,
        title: contract.title,
        status: 'active',
        period: { startDate: dayStart(contract.startDate), endDate: dayEnd(contract.endDate) },
        value: money(contract.valuePence),
        dateSigned: contract.signedAt,
      },
    ],
  };
}

/** The supplier's roles: a tenderer too when the contract came from a competition. */
function supplierRoles(contract: PublicContractFacts, more: string[] = []): string[] {
  return [...(contract.competitionId ? ['tenderer'] : []), 'supplier', ...more];
}

/** `contract`: the award is confirmed after standstill and the contract let. */
export function contractRelease(
  context: PublicationContext,
  contract: PublicContractFacts & { competitionId: string },
): ReleaseDraft {
  const sections = contractSections(contract);
  return draft(context, contract.competitionId, ['contract'], {
    parties: [party(contract.supplier, supplierRoles(contract))],
    tender: { id: contract.competitionId, status: 'complete' },
    awards: [sections.award],
    ...(sections.contract ? { contracts: sections.contract } : {}),
  });
}

/** The party id of a sub-contractor: its network id when registered, else the prime's reference, scoped. */
export function subcontractorPartyId(
  contractId: string,
  payment: { subcontractorRef: string; providerId?: string },
): string {
  return payment.providerId ?? `${contractId}-sub-${payment.subcontractorRef}`;
}

/**
 * `implementation`: an accepted spend return, as one transaction from the prime to each sub-contractor it
 * paid in the period (the sum of its lines, dated by the latest payment). Transaction ids are
 * `<period>-<sub-contractor ref>`, so an amended return's transactions replace the earlier version's in the
 * compiled release; a sub-contractor an amendment no longer pays is published at zero. A sub-contractor
 * that tendered for the contract (`published.tendererIds`) keeps its `tenderer` role.
 */
export function implementationRelease(
  context: PublicationContext,
  contract: PublicContractFacts,
  spend: PublicSpendReturn,
  published: PublishedParties = { tendererIds: [] },
): ReleaseDraft {
  const prime = contract.supplier;
  const tenderers = new Set(published.tendererIds);
  const subs = new Map<string, OcdsParty>();
  const transactions: OcdsTransaction[] = spend.payments.map((payment) => {
    const id = subcontractorPartyId(contract.contractId, payment);
    if (!subs.has(id)) {
      subs.set(
        id,
        party({ id, name: payment.name, sector: payment.sector, size: payment.size }, [
          ...(tenderers.has(id) ? ['tenderer'] : []),
          'subcontractor',
          'payee',
        ]),
      );
    }
    return {
      id: `${spend.period}-${payment.subcontractorRef}`,
      date: dayStart(payment.lastPaidDate ?? spend.periodEnd),
      value: money(payment.amountPence),
      payer: reference(prime),
      payee: { id, name: payment.name },
    };
  });
  const sections = contractSections(contract);
  const [contractSection] = sections.contract ?? [];
  return draft(context, contract.competitionId ?? contract.contractId, ['implementation'], {
    parties: [party(prime, supplierRoles(contract, ['payer'])), ...subs.values()],
    awards: [sections.award],
    ...(contractSection ? { contracts: [{ ...contractSection, implementation: { transactions } }] } : {}),
  });
}
