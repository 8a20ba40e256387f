/**
 * The words and values the provider pages are built from (issue 11): GOV.UK dates in UK time, one name for
 * each status and tier, the Procurement Act's wording for exclusion grounds, what an opportunity asks a
 * provider to do next, money errors that name their field, website links, the profile form as an API body,
 * notifications worded and linked for pages, and what a change does to the directory counts.
 */
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../shared/db/notifications';
import { directoryCountChanges, directoryCountName } from '../../shared/db/providers';
import {
  DISCRETIONARY_EXCLUSION_GROUNDS,
  MANDATORY_EXCLUSION_GROUNDS,
} from '../../shared/domain/accreditation';
import { COMPETITION_STATUSES } from '../../shared/domain/competitions';
import { govukDateTime } from '../../shared/domain/dates';
import type { Provider } from '../../shared/domain/providers';
import { CHOICES, govukDate, label, statusName, statusTag, tierName } from '../../shared/web/labels';
import { accreditationFromForm, notificationView, profileChanges } from '../../shared/web/pages/organisation';
import { nextSteps, websiteLink } from '../../shared/web/pages/public';

describe('dates', () => {
  it('read in the GOV.UK style, in UK time', () => {
    expect(govukDateTime('2026-12-12T12:00:00.000Z')).toBe('12 December 2026 at midday');
    // British Summer Time: 16:30 UTC is 5:30pm in London.
    expect(govukDateTime('2026-07-01T16:30:00Z')).toBe('1 July 2026 at 5:30pm');
    expect(govukDateTime('2026-03-02T09:00:00Z')).toBe('2 March 2026 at 9am');
    // Midnight is the start of a day, said so (GOV.UK: "midnight" alone reads as either day).
    expect(govukDateTime('2026-12-13T00:00:00Z')).toBe('midnight at the start of 13 December 2026');
    // 23:30 UTC on 30 June is already 1 July in London.
    expect(govukDate('2026-06-30T23:30:00Z')).toBe('1 July 2026');
    expect(govukDate('2026-03-31')).toBe('31 March 2026');
    expect(govukDateTime('not a date')).toBe('not a date');
  });
});

describe('status and tier words', () => {
  it('name every status once, the same through label and statusName, with no raw codes', () => {
    for (const status of COMPETITION_STATUSES) {
      expect(statusName(status)).toBe(statusTag(status).text);
      expect(statusName(status)).not.toMatch(/_/);
    }
    expect(statusName('prequalification')).toBe('Pre-qualification');
    expect(label('prequalification')).toBe('Pre-qualification');
    expect(statusTag('tendering').classes).toMatch(/^govuk-tag--/);
    expect(tierName('none')).toBe('No pre-qualification');
  });

  it('word the exclusion grounds as the Procurement Act does, never as code names', () => {
    const all = [...MANDATORY_EXCLUSION_GROUNDS, ...DISCRETIONARY_EXCLUSION_GROUNDS];
    for (const code of all) {
      const generic = code.replaceAll('_', ' ');
      expect(label(code).toLowerCase()).not.toBe(generic);
    }
    expect(label('child_labour_human_trafficking')).toContain('slavery and human trafficking');
    expect(label('tax_non_payment')).toBe('Not paying tax or National Insurance contributions that are owed');
    expect(CHOICES.mandatoryGrounds.map((c) => c.value)).toEqual([...MANDATORY_EXCLUSION_GROUNDS]);
  });
});

describe('what an opportunity asks of a provider', () => {
  const now = new Date('2026-11-01T12:00:00Z');
  const base = {
    id: '01JCX0000000000000000000AA',
    prequalificationDeadline: '2026-12-01T12:00:00Z',
    tenderDeadline: '2027-01-15T12:00:00Z',
  };

  it('says who may bid and by when, for each tier, with links to the pages that exist', () => {
    const direct = nextSteps({ ...base, status: 'tendering', prequalificationTier: 'none' }, now);
    expect(direct.open).toBe(true);
    expect(direct.paragraphs.join(' ')).toContain('any verified provider may bid');
    expect(direct.steps.join(' ')).toContain('before tenders close on 15 January 2027 at midday');
    expect(direct.steps.join(' ')).toContain('href="/register-organisation"');

    const core = nextSteps({ ...base, status: 'prequalification', prequalificationTier: 'core' }, now);
    expect(core.steps.join(' ')).toContain('before pre-qualification closes on 1 December 2026 at midday');
    expect(JSON.stringify(core)).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('says an opportunity is closed once its deadline has passed', () => {
    const later = new Date('2026-12-02T12:00:00Z');
    const shut = nextSteps({ ...base, status: 'shortlisting', prequalificationTier: 'core' }, later);
    expect(shut.open).toBe(false);
    expect(shut.paragraphs[0]).toContain('Pre-qualification has closed');
  });
});

describe('forms', () => {
  it('name the field an amount is wrong in', () => {
    const form = new URLSearchParams({ turnover: 'lots', employersLiability: '5m', publicLiability: '100' });
    const { issues } = accreditationFromForm(form);
    expect(issues.map((i) => i.message)).toEqual([
      'Enter your annual turnover as an amount in pounds, like 250000 or 1250.50',
      'Enter your employer’s liability cover as an amount in pounds, like 250000 or 1250.50',
    ]);
  });

  it('turn the profile form into a PATCH body: blanks of optional fields removed, required ones reported', () => {
    const body = profileChanges({
      name: 'Open Doors',
      legalForm: 'unincorporated_association',
      charityNumber: '',
      companyNumber: '',
      sector: '',
      size: 'small',
      regions: ['london'],
      services: ['health'],
      description: '',
      contactName: 'Sam',
      contactEmail: 'sam@example.org',
      contactPhone: '',
      website: '',
    });
    expect(body).toMatchObject({
      charityNumber: null,
      companyNumber: null,
      description: null,
      website: null,
      sector: undefined,
      contact: { name: 'Sam', email: 'sam@example.org' },
    });
    expect(body.contact).not.toHaveProperty('phone');
  });

  it('link only http and https websites', () => {
    expect(websiteLink('https://www.example.org/')).toEqual({
      href: 'https://www.example.org/',
      text: 'www.example.org',
    });
    expect(websiteLink('http://example.org/about')?.href).toBe('http://example.org/about');
    expect(websiteLink('javascript:alert(1)')).toBeUndefined();
    expect(websiteLink('ftp://example.org')).toBeUndefined();
    expect(websiteLink(null)).toBeUndefined();
  });
});

describe('notifications on a page', () => {
  const base: Notification = {
    id: '01JCX0000000000000000000ZZ',
    providerId: '01JCX0000000000000000000PP',
    type: 'opportunity',
    title: 'New opportunity: Move-on accommodation',
    message: 'Pre-qualification open until 2026-12-12T12:00:00.000Z (core questionnaire).',
    createdAt: '2026-11-02T09:30:00.000Z',
    link: '/competitions/01JCX0000000000000000000CC',
  };

  it('are worded from their fields: GOV.UK dates, links to pages', () => {
    const view = notificationView({
      ...base,
      competitionId: '01JCX0000000000000000000CC',
      closes: 'prequalification',
      closesAt: '2026-12-12T12:00:00.000Z',
      prequalificationTier: 'core',
    });
    expect(view.message).toContain('Pre-qualification closes on 12 December 2026 at midday');
    expect(view.date).toBe('2 November 2026 at 9:30am');
    expect(view.link?.href).toBe('/find-an-opportunity/01JCX0000000000000000000CC');
  });

  it('stored before those fields still link to pages, never API paths', () => {
    expect(notificationView(base).link?.href).toBe('/find-an-opportunity/01JCX0000000000000000000CC');
    const verified = notificationView({ ...base, type: 'verified', link: `/providers/${base.providerId}` });
    expect(verified.link?.href).toBe(`/find-a-provider/${base.providerId}`);
  });
});

describe('directory counts', () => {
  const provider: Pick<Provider, 'regions' | 'services' | 'sector' | 'size'> = {
    regions: ['london'],
    services: ['health'],
    sector: 'voluntary',
    size: 'small',
  };

  it('add a verified provider to every counter it matches', () => {
    const changes = directoryCountChanges(undefined, provider);
    expect([...changes.keys()].sort()).toEqual(['*', 'london']);
    expect(Object.fromEntries(changes.get('london') ?? [])).toEqual({
      '*|*|*': 1,
      '*|voluntary|*': 1,
      '*|*|small': 1,
      '*|voluntary|small': 1,
      'health|*|*': 1,
      'health|voluntary|*': 1,
      'health|*|small': 1,
      'health|voluntary|small': 1,
    });
    expect(directoryCountName({ service: 'health', size: 'small' })).toBe('health|*|small');
  });

  it('move only the counters an edit changes', () => {
    expect(directoryCountChanges(provider, { ...provider }).size).toBe(0);
    const moved = directoryCountChanges(provider, { ...provider, regions: ['wales'] });
    expect([...moved.keys()].sort()).toEqual(['london', 'wales']);
    expect(moved.get('london')?.get('*|*|*')).toBe(-1);
    expect(moved.get('wales')?.get('*|*|*')).toBe(1);
    const resized = directoryCountChanges(provider, { ...provider, size: 'micro' });
    expect(resized.get('*')?.get('*|*|*')).toBeUndefined();
    expect(resized.get('*')?.get('*|*|micro')).toBe(1);
    expect(resized.get('*')?.get('*|*|small')).toBe(-1);
  });
});
