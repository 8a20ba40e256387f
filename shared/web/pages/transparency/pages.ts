/**
 * The transparency pages (issue 16), anyone's: `/transparency` lists the notices the service published
 * (OCDS releases), newest first, each with its date, what happened in plain words and a link to its
 * contracting process; `/transparency/{ocid}` shows one process as published – its compiled release in
 * words (the tender, the award, the contract, the payments to sub-contractors summed) and its notices.
 *
 * Both read the releases only (the `publication` table): what the pages can show is exactly what the open
 * data publishes, made from the public projection, so nothing the wall protects can reach them.
 */
import { publicationRepository, transparencyRepository } from '../../../db/repositories';
import { NotFoundError } from '../../../domain/errors';
import type { OcdsParty, OcdsValue, Release, ReleaseTag } from '../../../domain/publication/ocds';
import { quarterWords } from '../../../domain/subcontracting/dashboard';
import { recordParams } from '../../../http/schemas/publication';
import { getPublishedProcess, listNotices } from '../../../use-cases/publication/transparency';
import { govukDate, govukDateTime, pounds } from '../../labels';
import { type PageRequest, render } from '../../page';
import { forwardPagination } from '../oversight/paging';

/** The repositories these pages' use cases need, and no others. */
function repositories() {
  return { publication: publicationRepository(), transparency: transparencyRepository() };
}

/** A release tag in plain words, and the GOV.UK tag colour it is shown in. */
export const TAG_WORDS: Record<ReleaseTag, { text: string; classes: string }> = {
  tender: { text: 'Tender published', classes: 'govuk-tag--green' },
  tenderAmendment: { text: 'Tender changed', classes: 'govuk-tag--light-blue' },
  tenderCancellation: { text: 'Tender cancelled', classes: 'govuk-tag--red' },
  award: { text: 'Award decided', classes: 'govuk-tag--purple' },
  awardCancellation: { text: 'Award withdrawn', classes: 'govuk-tag--orange' },
  contract: { text: 'Contract signed', classes: 'govuk-tag--turquoise' },
  implementation: { text: 'Payments to sub-contractors', classes: 'govuk-tag--blue' },
  compiled: { text: 'Compiled', classes: 'govuk-tag--grey' },
};

/** A release's tags in words: `Tender cancelled and award withdrawn`. */
export function tagWords(tags: readonly ReleaseTag[]): string {
  const words = tags.map((tag) => TAG_WORDS[tag]?.text ?? tag);
  const [first = '', ...rest] = words;
  return [first, ...rest.map((w) => `${w.charAt(0).toLowerCase()}${w.slice(1)}`)].join(' and ');
}

/** An OCDS amount (pounds, a number) as the pages write money: `£84,000`. */
function money(value: OcdsValue | undefined): string | undefined {
  return value ? pounds(Math.round(value.amount * 100)) : undefined;
}

/** The calendar day of an OCDS date-time (periods are whole days, written as UTC instants). */
const day = (iso: string | undefined) => (iso ? govukDate(iso.slice(0, 10)) : '');

const names = (parties: readonly { name: string }[] | undefined) =>
  (parties ?? []).map((p) => p.name).join(', ');

/** The quarters a spend return's transactions are for (their ids start `YYYY-Qn-`). */
function quartersOf(release: Release): string[] {
  const ids = release.contracts?.flatMap((c) => c.implementation?.transactions ?? []).map((t) => t.id) ?? [];
  return [...new Set(ids.map((id) => /^(\d{4}-Q[1-4])-/.exec(id)?.[1]).filter((q): q is string => !!q))];
}

/** What one notice says beyond its tag: when tenders close, the change, the supplier, the payments. */
export function noticeDetail(release: Release): string | undefined {
  const tags = release.tag;
  const award = release.awards?.[0];
  const contract = release.contracts?.[0];
  if (tags.includes('tenderAmendment') || tags.includes('tenderCancellation')) {
    return release.tender?.amendments?.[0]?.rationale;
  }
  if (tags.includes('tender')) {
    const closes = release.tender?.tenderPeriod?.endDate;
    return closes ? `Tenders close ${govukDateTime(closes)}.` : undefined;
  }
  if (tags.includes('award') && award) {
    return `To ${names(award.suppliers)} for ${money(award.value)}. The contract can be signed after the standstill period.`;
  }
  if (tags.includes('awardCancellation')) return 'The award decision was withdrawn.';
  if (tags.includes('contract') && contract) {
    return `With ${names(award?.suppliers)} for ${money(contract.value)}, from ${day(contract.period?.startDate)} to ${day(contract.period?.endDate)}.`;
  }
  if (tags.includes('implementation')) {
    const transactions = release.contracts?.flatMap((c) => c.implementation?.transactions ?? []) ?? [];
    const payees = new Set(transactions.map((t) => t.payee.id)).size;
    const total = transactions.reduce((sum, t) => sum + Math.round(t.value.amount * 100), 0);
    const quarters = quartersOf(release).map(quarterWords).join(', ');
    return `${payees} ${payees === 1 ? 'sub-contractor' : 'sub-contractors'} paid ${pounds(total)}${quarters ? ` for ${quarters}` : ''}.`;
  }
  return undefined;
}

/** The address of a contracting process's page. */
export const processHref = (ocid: string) => `/transparency/${encodeURIComponent(ocid)}`;

/** `GET /transparency`: the notices, newest first, a page at a time. */
export async function noticesPage(request: PageRequest) {
  const cursor = request.query.cursor || undefined;
  const page = await listNotices(repositories(), { cursor });
  const notices = page.items.map(({ release, title }) => ({
    title,
    href: processHref(release.ocid),
    date: release.date,
    dateText: govukDateTime(release.date),
    tag: { text: tagWords(release.tag), classes: TAG_WORDS[release.tag[0] as ReleaseTag]?.classes ?? '' },
    detail: noticeDetail(release),
  }));
  return render(request, 'transparency/notices.njk', {
    // A later page is named apart from the first, so browser history and tabs tell them apart.
    title:
      cursor === undefined
        ? 'Published tenders and contracts'
        : 'Published tenders and contracts: earlier notices',
    notices,
    firstPage: cursor === undefined,
    pagination: forwardPagination('/transparency', {}, cursor, page.nextCursor),
  });
}

/** Where a process stands, from its compiled release. */
function statusOf(compiled: Release): string {
  if (compiled.tender?.status === 'cancelled') return 'Cancelled';
  if ((compiled.contracts ?? []).length > 0) return 'Contract signed';
  if ((compiled.awards ?? []).some((a) => a.status === 'pending')) {
    return 'Award decided: in the standstill period before the contract is signed';
  }
  if (compiled.tender?.status === 'complete') return 'Complete';
  return 'Tender in progress';
}

const AWARD_STATUS: Record<string, string> = {
  pending: 'Decided, in the standstill period',
  active: 'Confirmed',
  cancelled: 'Withdrawn',
};

/** A summary list row: the key and its value as text. */
const row = (key: string, text: string) => ({ key: { text: key }, value: { text } });

/** Who a party is, in words: its size and whether it is a voluntary organisation. */
function partyWords(party: OcdsParty | undefined): string {
  if (!party?.details) return '';
  const scale = { micro: 'Micro', sme: 'Small or medium', large: 'Large' }[party.details.scale];
  return party.details.vcse ? `${scale}, voluntary or community` : scale;
}

/** The payments to sub-contractors of every contract in the process, summed by sub-contractor. */
function paymentsOf(compiled: Release) {
  const transactions = compiled.contracts?.flatMap((c) => c.implementation?.transactions ?? []) ?? [];
  if (transactions.length === 0) return undefined;
  const byPayee = new Map<string, { name: string; pence: number }>();
  for (const t of transactions) {
    const entry = byPayee.get(t.payee.id) ?? { name: t.payee.name, pence: 0 };
    entry.pence += Math.round(t.value.amount * 100);
    byPayee.set(t.payee.id, entry);
  }
  const total = [...byPayee.values()].reduce((sum, p) => sum + p.pence, 0);
  const parties = new Map((compiled.parties ?? []).map((p) => [p.id, p]));
  const quarters = quartersOf(compiled).sort();
  return {
    total: pounds(total),
    quarters:
      quarters.length > 1
        ? `from ${quarterWords(quarters[0] as string)} to ${quarterWords(quarters.at(-1) as string)}`
        : quarters.length === 1
          ? `for ${quarterWords(quarters[0] as string)}`
          : undefined,
    rows: [...byPayee.entries()]
      .sort(([, a], [, b]) => b.pence - a.pence || a.name.localeCompare(b.name))
      .map(([id, p]) => [
        { text: p.name, classes: 'govuk-!-text-break-word' },
        { text: partyWords(parties.get(id)) },
        { text: pounds(p.pence), format: 'numeric' },
      ]),
  };
}

/** The most notices a process's page lists (its JSON record has them all). */
const MAX_NOTICES_SHOWN = 100;

/** What the compiled release says, in words: the summary, the awards, the contracts, the payments. */
function sections(ocid: string, compiled: Release) {
  const tender = compiled.tender;
  const tenderers = tender?.tenderers ?? [];
  const rows = [
    row('Status', statusOf(compiled)),
    row('Buyer', compiled.buyer.name),
    ...(tender?.items?.length ? [row('Services', tender.items.map((i) => i.description).join('; '))] : []),
    ...(tender?.value ? [row('Estimated value', money(tender.value) as string)] : []),
    ...(tender?.procurementMethodDetails ? [row('How it is procured', tender.procurementMethodDetails)] : []),
    ...(tender?.tenderPeriod?.endDate
      ? [row('Tenders close', govukDateTime(tender.tenderPeriod.endDate))]
      : []),
    ...(tenderers.length > 0
      ? [row('Organisations that tendered', `${tenderers.length}: ${names(tenderers)}`)]
      : []),
    row('OCDS ocid', ocid),
  ];
  const awards = (compiled.awards ?? []).map((award) => ({
    heading: award.status === 'cancelled' ? 'Award (withdrawn)' : 'Award',
    rows: [
      row('Status', AWARD_STATUS[award.status] ?? award.status),
      ...(award.suppliers?.length ? [row('Supplier', names(award.suppliers))] : []),
      ...(award.value ? [row('Value', money(award.value) as string)] : []),
      ...(award.date ? [row('Decided', govukDate(award.date))] : []),
    ],
  }));
  const contracts = (compiled.contracts ?? []).map((contract) => {
    const award = compiled.awards?.find((a) => a.id === contract.awardID);
    return [
      ...(contract.title ? [row('Title', contract.title)] : []),
      ...(award?.suppliers?.length ? [row('Supplier', names(award.suppliers))] : []),
      ...(contract.value ? [row('Value', money(contract.value) as string)] : []),
      ...(contract.period?.startDate
        ? [row('Contract period', `${day(contract.period.startDate)} to ${day(contract.period.endDate)}`)]
        : []),
      ...(contract.dateSigned ? [row('Signed', govukDate(contract.dateSigned))] : []),
    ];
  });
  return {
    description: tender?.description,
    rows,
    awards,
    contracts,
    payments: paymentsOf(compiled),
    // A competition's own page (its documents and published answers), from the tender's id.
    opportunityHref: tender ? `/find-an-opportunity/${encodeURIComponent(tender.id)}` : undefined,
  };
}

/** `GET /transparency/{ocid}`: one contracting process as published. */
export async function noticePage(request: PageRequest) {
  const parsed = recordParams.safeParse({ ocid: request.params.ocid });
  if (!parsed.success) throw new NotFoundError('Nothing is published at this address.');
  const { ocid, releases, compiled, title } = await getPublishedProcess(repositories(), parsed.data.ocid);
  const notices = [...releases]
    .reverse()
    .slice(0, MAX_NOTICES_SHOWN)
    .map((release) => ({
      date: release.date,
      dateText: govukDateTime(release.date),
      tag: { text: tagWords(release.tag), classes: TAG_WORDS[release.tag[0] as ReleaseTag]?.classes ?? '' },
      detail: noticeDetail(release),
    }));
  return render(request, 'transparency/notice.njk', {
    title,
    // A process with more releases than one read holds is shown by its notices only (see the use case).
    ...(compiled ? sections(ocid, compiled) : { rows: [row('OCDS ocid', ocid)], awards: [], contracts: [] }),
    partial: compiled === undefined,
    notices,
    moreNotices: compiled === undefined || releases.length > MAX_NOTICES_SHOWN,
    jsonHref: `/ocds/records/${encodeURIComponent(ocid)}`,
    backLink: '/transparency',
  });
}
