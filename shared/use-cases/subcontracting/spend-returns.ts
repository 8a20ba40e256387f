/**
 * `PUT /contracts/{id}/spend-returns/{period}`: the prime's owners file a quarter's payments to
 * sub-contractors, as JSON or CSV. Every line is checked first and any problem refuses the whole return
 * (400 listing each, nothing stored). A body whose normalised lines are those of the current version
 * returns that version unchanged; any other stores version n+1, keeping the earlier ones, and moves every
 * figure by the difference in the same transaction – with its OCDS `implementation` release: one
 * transaction from the prime to each sub-contractor it paid (the period's sum, never the invoice lines).
 *
 * `GET /contracts/{id}/spend-returns/{period}?version=`: any version, with the disputes of the period.
 */
import type { DomainRules } from '../../config';
import type { PublicationRepository } from '../../db/publication';
import type {
  Dispute,
  PaidProvider,
  PeriodHead,
  SubcontractingRepository,
  SubcontractorSnapshot,
} from '../../db/subcontracting';
import { ConflictError, InvalidStateError, NotFoundError, ValidationError } from '../../domain/errors';
import { assertCanReadContract, assertPrimeOwner, requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import type { PublicPayment, PublishedParties } from '../../domain/publication/projection';
import { implementationRelease, ocidOf } from '../../domain/publication/releases';
import { filingPeriodProblem } from '../../domain/return-periods';
import { isoDay, periodBounds } from '../../domain/subcontracting/dates';
import { returnSums } from '../../domain/subcontracting/figure-sums';
import { reportIssues } from '../../domain/subcontracting/line-issues';
import { validateLines } from '../../domain/subcontracting/line-rules';
import {
  type CandidateLine,
  type LineIssue,
  returnHash,
  type SpendLine,
  totalPence,
} from '../../domain/subcontracting/lines';
import { type CsvReading, parseSpendReturnCsv } from '../../domain/subcontracting/reading';
import { planLimitProblem, planReturnWrite } from '../../domain/subcontracting/rollups';
import type { Subcontractor } from '../../domain/subcontracting/supply-chain';
import { type PartyDeps, type PublicationDeps, publicOrganisationOf } from '../publication/publish';
import { type ContractDeps, loadContractFor } from './load-contract';

/** What the return use cases need. */
export type SpendReturnDeps = ContractDeps & { subcontracting: SubcontractingRepository };

/**
 * A return as received: JSON lines already checked for shape by the HTTP schema (with any shape problems),
 * or CSV text, parsed here.
 */
export type SpendReturnSubmission =
  | { format: 'json'; lines: CandidateLine[]; issues: LineIssue[] }
  | { format: 'csv'; text: string };

/** A version of a return as the API shows it. */
export interface SpendReturnView {
  contractId: string;
  period: string;
  version: number;
  lines: SpendLine[];
  lineCount: number;
  totalPence: number;
  format: 'json' | 'csv';
  submittedAt: string;
  submittedBy: string;
}

/** The outcome of filing: `created` is false when the body matched the current version. */
export interface FilingResult {
  created: boolean;
  spendReturn: SpendReturnView;
}

/**
 * What filing needs besides: the return's OCDS release, naming the prime from the registry and reading
 * who the process's record names as tenderers (a sub-contractor among them keeps that role).
 */
export type FileSpendReturnDeps = SpendReturnDeps &
  PublicationDeps &
  PartyDeps & { publication: Pick<PublicationRepository, 'tendererIds'> };

const MAX_ATTEMPTS = 5;

/**
 * How many times a filing is written again because other changes took the release number it was given
 * (see `commitWithReleases`; the filing's own loop re-plans, so it counts these apart).
 */
const MAX_PUBLICATION_ATTEMPTS = 30;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a version pays each sub-contractor, as releases publish it: one sum per sub-contractor with the
 * latest payment's date. An amendment also names, at zero, every sub-contractor of the supply chain it no
 * longer pays, so the compiled release does not keep an earlier version's payment to it.
 */
function publicPayments(
  lines: readonly SpendLine[],
  byRef: ReadonlyMap<string, Subcontractor>,
  amending: boolean,
): PublicPayment[] {
  const payments = new Map<string, PublicPayment>();
  const of = (s: Subcontractor): PublicPayment => ({
    subcontractorRef: s.ref,
    ...(s.providerId ? { providerId: s.providerId } : {}),
    name: s.name,
    sector: s.sector,
    size: s.size,
    amountPence: 0,
  });
  for (const line of lines) {
    const s = byRef.get(line.subcontractorRef) as Subcontractor;
    const payment = payments.get(s.ref) ?? of(s);
    payment.amountPence += line.amountPence;
    if (payment.lastPaidDate === undefined || line.paidDate > payment.lastPaidDate)
      payment.lastPaidDate = line.paidDate;
    payments.set(s.ref, payment);
  }
  if (amending) for (const s of byRef.values()) if (!payments.has(s.ref)) payments.set(s.ref, of(s));
  return [...payments.values()];
}

function viewOf(
  head: Pick<PeriodHead, 'version' | 'format' | 'submittedAt' | 'submittedBy'>,
  base: {
    contractId: string;
    period: string;
    lines: SpendLine[];
  },
): SpendReturnView {
  return {
    contractId: base.contractId,
    period: base.period,
    version: head.version,
    lines: base.lines,
    lineCount: base.lines.length,
    totalPence: totalPence(base.lines),
    format: head.format,
    submittedAt: head.submittedAt,
    submittedBy: head.submittedBy,
  };
}

/** Files a version of a period's return. */
export async function fileSpendReturn(
  deps: FileSpendReturnDeps,
  principal: Principal,
  contractId: string,
  period: string,
  submission: SpendReturnSubmission,
  now: Date,
  rules: Pick<DomainRules, 'promptPaymentDays'>,
): Promise<FilingResult> {
  const user = requireUser(principal);
  const { contract, relation } = await loadContractFor(deps, principal, contractId);
  assertPrimeOwner(relation, contractId);
  const today = isoDay(now);
  // Only a quarter that is over (or a past one, amended): see shared/domain/return-periods.ts.
  const periodError = filingPeriodProblem(period, contract, today);
  if (periodError) {
    throw new ValidationError(periodError, [{ path: 'params.period', message: periodError }]);
  }

  const { format } = submission;
  // CSV reading stops early on junk (see reading.ts); JSON arrives with at most MAX_LINES_PER_RETURN lines.
  const received: CsvReading =
    submission.format === 'csv'
      ? parseSpendReturnCsv(submission.text)
      : { lines: submission.lines, issues: submission.issues };
  // The period's head is read with the supply chain: most bodies sent again are the current version.
  const [chain, firstState] = await Promise.all([
    deps.subcontracting.supplyChain(contractId),
    deps.subcontracting.filingState(contractId, period),
  ]);
  if (!chain) {
    throw new InvalidStateError(
      `Declare the supply chain of contract ${contractId} (PUT /contracts/${contractId}/supply-chain) before filing a return.`,
    );
  }
  const byRef = new Map<string, Subcontractor>(chain.subcontractors.map((s) => [s.ref, s]));
  const checked = validateLines(received.lines, {
    period,
    knownRefs: new Set(byRef.keys()),
    today,
    // CSV rows count from the first line after the header: row n is line n + 1 of the file.
    describe: (position) =>
      format === 'csv' ? `row ${position} (line ${position + 1} of the file)` : `lines.${position}`,
  });
  const issues = [...received.issues, ...checked.issues];
  if (issues.length > 0) {
    // At most MAX_REPORTED_ISSUES are listed, then one line saying how many more.
    const report = reportIssues(issues, format, received.stoppedAfter);
    throw new ValidationError(report.detail, report.issues);
  }
  const { lines } = checked;
  const hash = returnHash(lines);
  const sums = returnSums(lines, byRef, rules.promptPaymentDays);
  const base = { contractId, period, lines };

  // What the version records of each sub-contractor it pays, and the registered ones' own view.
  // Keyed by the prime's own refs: no prototype behind it, so no ref can find something already there.
  const subcontractors: Record<string, SubcontractorSnapshot> = Object.create(null);
  const paidByProvider = new Map<string, PaidProvider>();
  for (const line of lines) {
    const s = byRef.get(line.subcontractorRef) as Subcontractor;
    if (!Object.hasOwn(subcontractors, s.ref))
      subcontractors[s.ref] = {
        name: s.name,
        sector: s.sector,
        size: s.size,
        ...(s.providerId ? { providerId: s.providerId } : {}),
      };
    if (s.providerId) {
      const paid = paidByProvider.get(s.providerId) ?? {
        providerId: s.providerId,
        subcontractorRef: s.ref,
        lines: [],
      };
      paid.lines.push(line);
      paidByProvider.set(s.providerId, paid);
    }
  }

  // The return's OCDS release: the prime as the registry names it, a sum per sub-contractor.
  const prime = await publicOrganisationOf(deps, contract.primeProviderId);
  const periodEnd = periodBounds(period)?.end ?? today;
  // Read once, and only when a version is written (a body sent again publishes nothing): the tenderers
  // are fixed once the contract is let, so a retry needs no fresh read.
  let parties: Promise<PublishedParties> | undefined;
  const publishedParties = () =>
    (parties ??= contract.competitionId
      ? deps.publication
          .tendererIds(ocidOf(deps.publication.context, contract.competitionId))
          .then((tendererIds) => ({ tendererIds }))
      : Promise.resolve({ tendererIds: [] }));
  const releaseOf = (version: number, amending: boolean, published: PublishedParties) =>
    implementationRelease(
      deps.publication.context,
      {
        contractId,
        title: contract.title,
        ...(contract.competitionId ? { competitionId: contract.competitionId } : {}),
        supplier: prime,
        valuePence: contract.valuePence,
        startDate: contract.startDate,
        endDate: contract.endDate,
        signedAt: contract.createdAt,
      },
      { period, version, periodEnd, payments: publicPayments(lines, byRef, amending) },
      published,
    );

  let state = firstState;
  let feedMoves = 0;
  for (let attempt = 1; ; attempt += 1) {
    const { head, contractFiled } = state;
    if (head && head.hash === hash) return { created: false, spendReturn: viewOf(head, base) };
    const version = (head?.version ?? 0) + 1;
    const release = releaseOf(version, head !== undefined, await publishedParties());
    const publication = await deps.publication.prepare([release], now);
    const submittedAt = now.toISOString();
    const plan = planReturnWrite({ contract, period, previous: head?.sums, contractFiled, sums });
    // What the plan alone shows past the figures' bound; what the stored figures would pass, the
    // repository's conditions refuse in the same transaction (InvalidStateError either way).
    const limitProblem = planLimitProblem(plan, period);
    if (limitProblem) throw new InvalidStateError(limitProblem);
    const outcome = await deps.subcontracting.fileReturn({
      contract,
      previous: head,
      contractFiled,
      version: {
        contractId,
        period,
        version,
        hash,
        lines,
        totalPence: totalPence(lines),
        format,
        submittedAt,
        submittedBy: user.sub,
        subcontractors,
      },
      plan,
      paid: [...paidByProvider.values()],
      publication: publication.items,
    });
    if (outcome.written) return { created: true, spendReturn: viewOf(outcome.head, base) };
    // Another change took the release number: the same filing, with the next one (not a filing attempt).
    if (feedMoves < MAX_PUBLICATION_ATTEMPTS && (await publication.moved())) {
      feedMoves += 1;
      attempt -= 1;
      state = await deps.subcontracting.filingState(contractId, period);
      if ((state.head?.version ?? 0) === (head?.version ?? 0)) {
        await sleep(Math.random() * Math.min(100, 5 * feedMoves));
        continue;
      }
    } else {
      state = await deps.subcontracting.filingState(contractId, period);
    }

    // Refused: someone filed meanwhile. The same content is simply the current version now; another
    // version of this period means this body was prepared against one that no longer is current.
    if (state.head && state.head.hash === hash) {
      return { created: false, spendReturn: viewOf(state.head, base) };
    }
    if ((state.head?.version ?? 0) !== (head?.version ?? 0)) {
      throw new ConflictError(
        `The ${period} return changed while this one was being filed (it is now version ${state.head?.version}); read it and submit again.`,
      );
    }
    // Only the contract's first return raced with this one (for another period): plan again.
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The return could not be filed; please try again.');
  }
}

/** A version of a return as read back, with the period's disputes. */
export interface SpendReturnReadView extends SpendReturnView {
  latestVersion: number;
  /** The sub-contractors the version paid, as they were when it was filed. */
  subcontractors: Record<string, SubcontractorSnapshot>;
  disputes: Dispute[];
}

/** Reads a version (default the latest) of a period's return: the prime's members, commissioners, admins. */
export async function getSpendReturn(
  deps: SpendReturnDeps,
  principal: Principal,
  contractId: string,
  period: string,
  version: number | undefined,
): Promise<SpendReturnReadView> {
  const { relation } = await loadContractFor(deps, principal, contractId);
  assertCanReadContract(relation, contractId);
  const [head, disputes] = await Promise.all([
    deps.subcontracting.periodHead(contractId, period),
    deps.subcontracting.disputesOfPeriod(contractId, period),
  ]);
  if (!head) throw new NotFoundError(`Contract ${contractId} has no return for ${period}.`);
  const wanted = version ?? head.version;
  const stored =
    wanted <= head.version ? await deps.subcontracting.returnVersion(contractId, period, wanted) : undefined;
  if (!stored) {
    throw new NotFoundError(
      `The ${period} return has versions 1 to ${head.version}; there is no version ${wanted}.`,
    );
  }
  return {
    contractId,
    period,
    version: stored.version,
    lines: stored.lines,
    lineCount: stored.lines.length,
    totalPence: stored.totalPence,
    format: stored.format,
    submittedAt: stored.submittedAt,
    submittedBy: stored.submittedBy,
    latestVersion: head.version,
    subcontractors: stored.subcontractors,
    disputes,
  };
}
