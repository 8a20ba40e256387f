/**
 * `PUT /contracts/{id}/spend-returns/{period}`: the prime's owners file a quarter's payments to
 * sub-contractors, as JSON or CSV. Every line is checked first and any problem refuses the whole return
 * (400 listing each, nothing stored). A body whose normalised lines are those of the current version
 * returns that version unchanged; any other stores version n+1, keeping the earlier ones, and moves every
 * figure by the difference in the same transaction.
 *
 * `GET /contracts/{id}/spend-returns/{period}?version=`: any version, with the disputes of the period.
 */
import type { DomainRules } from '../../config';
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
import { filingPeriodProblem } from '../../domain/return-periods';
import { isoDay } from '../../domain/subcontracting/dates';
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

const MAX_ATTEMPTS = 5;

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
  deps: SpendReturnDeps,
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

  let state = firstState;
  for (let attempt = 1; ; attempt += 1) {
    const { head, contractFiled } = state;
    if (head && head.hash === hash) return { created: false, spendReturn: viewOf(head, base) };
    const version = (head?.version ?? 0) + 1;
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
    });
    if (outcome.written) return { created: true, spendReturn: viewOf(outcome.head, base) };

    // Refused: someone filed meanwhile. The same content is simply the current version now; another
    // version of this period means this body was prepared against one that no longer is current.
    state = await deps.subcontracting.filingState(contractId, period);
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
