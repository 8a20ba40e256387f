/**
 * "Create a competition"'s answers as typed → the body of `POST /competitions` (pure): pounds to pence
 * exactly, whole numbers and percentages, GOV.UK date inputs and UK times to UTC, criteria ids from names,
 * and every problem shown against its field – the route schema's and the domain's as the API reports them,
 * and the form's own where what was typed cannot reach the API.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { MAX_CRITERIA } from '../../shared/domain/competitions';
import { criterionIdSchema } from '../../shared/http/schemas/competitions';
import {
  type CompetitionWizardDraft,
  competitionBody,
  createBody,
  criterionIds,
  criterionIssues,
  isStep,
  londonToUtc,
  parseDeadline,
  parsePercent,
  parsePoundsToPence,
  parseTimeOfDay,
  parseWholeNumber,
  stepOf,
  tierOf,
  weightTotal,
  wizardIssues,
} from '../../shared/web/pages/commissioning/new-competition-form';

const rules = config().rules;
const NOW = new Date('2026-11-21T12:00:00Z');
const MAX = Number.MAX_SAFE_INTEGER;

/** Pence as pounds with two decimals and thousands commas, by string arithmetic. */
function poundsText(pence: number, commas: boolean): string {
  const digits = String(pence).padStart(3, '0');
  const whole = digits.slice(0, -2);
  return `${commas ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : whole}.${digits.slice(-2)}`;
}

/** A complete, valid set of answers (tier core: £250,000, 24 months, medium risk). */
const complete = (): CompetitionWizardDraft => ({
  title: '  Housing support in the North East ',
  description: 'Floating support for people leaving prison.',
  services: ['accommodation'],
  regions: ['north_east'],
  value: '£250,000',
  termMonths: '24',
  risk: 'medium',
  prequalificationDeadline: { day: '15', month: '1', year: '2027', time: '5pm' },
  tenderDeadline: { day: '1', month: '7', year: '2027', time: 'midday' },
  criteria: [
    { name: 'Quality of service', kind: 'quality', weight: '60' },
    { name: 'Price', kind: 'price', weight: '40' },
  ],
  subcontractingTarget: '12.5',
  voluntaryTarget: '5',
  budgetCeiling: '300,000.50',
  notes: 'Ceiling agreed with finance.',
});

describe('pounds to pence', () => {
  it('reads pounds as people type them, exactly', () => {
    expect(parsePoundsToPence('£250,000')).toEqual({ value: 25_000_000 });
    expect(parsePoundsToPence(' 1234.5 ')).toEqual({ value: 123_450 });
    expect(parsePoundsToPence('1234.50')).toEqual({ value: 123_450 });
    expect(parsePoundsToPence('0.01')).toEqual({ value: 1 });
    expect(parsePoundsToPence('007')).toEqual({ value: 700 });
    // The floating-point trap: 1.15 × 100 is 114.99999999999999.
    expect(parsePoundsToPence('1.15')).toEqual({ value: 115 });
    expect(parsePoundsToPence('90071992547409.91')).toEqual({ value: MAX });
    expect(parsePoundsToPence('')).toBeUndefined();
    expect(parsePoundsToPence(undefined)).toBeUndefined();
    // A pound sign alone is nothing typed.
    expect(parsePoundsToPence(' £ ')).toBeUndefined();
  });

  it('refuses what is not an amount of pounds, and amounts past the largest safe number of pence', () => {
    for (const text of ['ten', '-5', '1.234', '1e5', '12.', '1.2.3', '0x10', '½']) {
      expect(parsePoundsToPence(text), text).toMatchObject({ error: expect.stringMatching(/pounds/) });
    }
    expect(parsePoundsToPence('90071992547409.92')).toMatchObject({ error: expect.any(String) });
    expect(parsePoundsToPence('9'.repeat(400))).toMatchObject({ error: expect.any(String) });
  });

  it('gives back exactly the pence any safe amount was written from, with or without commas', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), fc.boolean(), (pence, commas) => {
        expect(parsePoundsToPence(`£${poundsText(pence, commas)}`)).toEqual({ value: pence });
      }),
    );
  });

  it('reads one decimal as tens of pence and whole pounds as hundreds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 0, max: 9 }), (pounds, tenths) => {
        expect(parsePoundsToPence(`${pounds}.${tenths}`)).toEqual({ value: pounds * 100 + tenths * 10 });
        expect(parsePoundsToPence(String(pounds))).toEqual({ value: pounds * 100 });
      }),
    );
  });
});

describe('numbers, percentages, times and dates as typed', () => {
  it('reads whole numbers and percentages, and names what is wrong', () => {
    expect(parseWholeNumber('24', 'The term')).toEqual({ value: 24 });
    expect(parseWholeNumber('', 'The term')).toBeUndefined();
    expect(parseWholeNumber('2.5', 'The term')).toEqual({
      error: 'The term must be a whole number, like 24',
    });
    expect(parseWholeNumber('1234567', 'The term')).toMatchObject({ error: expect.any(String) });
    expect(parsePercent('12.5%', 'The target')).toEqual({ value: 12.5 });
    expect(parsePercent('100', 'The target')).toEqual({ value: 100 });
    expect(parsePercent('12.555', 'The target')).toMatchObject({
      error: expect.stringMatching(/^The target/),
    });
    expect(parsePercent('-1', 'The target')).toMatchObject({ error: expect.any(String) });
  });

  it('reads times of day in the GOV.UK styles', () => {
    expect(parseTimeOfDay('17:00')).toEqual({ hour: 17, minute: 0 });
    expect(parseTimeOfDay('9.30')).toEqual({ hour: 9, minute: 30 });
    expect(parseTimeOfDay('9am')).toEqual({ hour: 9, minute: 0 });
    expect(parseTimeOfDay('5:30 PM')).toEqual({ hour: 17, minute: 30 });
    expect(parseTimeOfDay('12pm')).toEqual({ hour: 12, minute: 0 });
    expect(parseTimeOfDay('12am')).toEqual({ hour: 0, minute: 0 });
    expect(parseTimeOfDay('midday')).toEqual({ hour: 12, minute: 0 });
    expect(parseTimeOfDay('midnight')).toEqual({ hour: 0, minute: 0 });
    for (const text of ['', '25:00', '13pm', '0am', '9:60', 'teatime', '17']) {
      expect(parseTimeOfDay(text), text).toBeUndefined();
    }
  });

  it('turns UK wall-clock times into UTC, in winter and summer, and knows the hour the clocks skip', () => {
    expect(londonToUtc(2027, 1, 15, 17, 0)).toBe('2027-01-15T17:00:00.000Z');
    expect(londonToUtc(2027, 7, 1, 12, 0)).toBe('2027-07-01T11:00:00.000Z');
    // 28 March 2027: 1am becomes 2am.
    expect(londonToUtc(2027, 3, 28, 1, 30)).toBeUndefined();
    expect(londonToUtc(2027, 3, 28, 2, 0)).toBe('2027-03-28T01:00:00.000Z');
    // 31 October 2027: 1am to 2am happens twice; the first (summer time) is taken.
    expect(londonToUtc(2027, 10, 31, 1, 30)).toBe('2027-10-31T00:30:00.000Z');
  });

  it('reads a deadline, or says what is missing or wrong with it', () => {
    const name = 'the tender deadline';
    expect(parseDeadline({ day: '1', month: '7', year: '2027', time: 'midday' }, name)).toEqual({
      value: '2027-07-01T11:00:00.000Z',
    });
    expect(parseDeadline({ day: '', month: '', year: '', time: '' }, name)).toBeUndefined();
    expect(parseDeadline(undefined, name)).toBeUndefined();
    expect(parseDeadline({ day: '', month: '', year: '', time: '5pm' }, name)).toEqual({
      error: 'Enter the date of the tender deadline',
    });
    expect(parseDeadline({ day: '1', month: '', year: '2027', time: '5pm' }, name)).toEqual({
      error: 'The tender deadline must include a month',
    });
    expect(parseDeadline({ day: '31', month: '2', year: '2027', time: '5pm' }, name)).toEqual({
      error: 'The tender deadline must be a real date, like 27 3 2027',
    });
    expect(parseDeadline({ day: '1', month: '13', year: '27', time: '5pm' }, name)).toMatchObject({
      error: expect.stringMatching(/real date/),
    });
    expect(parseDeadline({ day: '1', month: '7', year: '2027', time: '' }, name)).toEqual({
      error: 'Enter the time of the tender deadline, like 5pm or 17:00',
      part: 'time',
    });
    expect(parseDeadline({ day: '28', month: '3', year: '2027', time: '1:30am' }, name)).toMatchObject({
      part: 'time',
      error: expect.stringMatching(/clocks go forward/),
    });
  });
});

describe('award criteria', () => {
  it('names criteria by their names, uniquely, within the id pattern, never as a prototype name', () => {
    const ids = criterionIds([
      'Quality of service',
      'Quality of service',
      'Price',
      'constructor',
      '£££',
      'Éducation & emploi',
      'x'.repeat(200),
    ]);
    expect(ids).toEqual([
      'quality-of-service',
      'quality-of-service-2',
      'price',
      'criterion-4',
      'criterion-5',
      'education-emploi',
      'x'.repeat(32),
    ]);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: MAX_CRITERIA }), (names) => {
        const made = criterionIds(names);
        expect(new Set(made).size).toBe(names.length);
        for (const id of made) expect(criterionIdSchema.safeParse(id).success, id).toBe(true);
      }),
    );
  });

  it('checks a criterion before it is added, in plain words', () => {
    expect(criterionIssues({ name: 'Quality', kind: 'quality', weight: '60' }, [])).toEqual([]);
    const issues = criterionIssues({ name: ' ', kind: '', weight: 'sixty' }, []);
    expect(issues).toEqual([
      { path: 'criterion.weight', message: 'The weight must be a whole number, like 24' },
      { path: 'criterion.name', message: 'Enter the name of the criterion' },
      { path: 'criterion.kind', message: 'Select whether the criterion is about quality or price' },
    ]);
    for (const weight of ['0', '101']) {
      expect(criterionIssues({ name: 'Price', kind: 'price', weight }, [])).toEqual([
        { path: 'criterion.weight', message: 'Enter the weight as a whole number from 1 to 100' },
      ]);
    }
    expect(criterionIssues({ name: 'x'.repeat(201), kind: 'quality', weight: '1' }, [])[0]?.message).toMatch(
      /at most 200 characters/,
    );
    const full = Array.from({ length: MAX_CRITERIA }, () => ({ name: 'Q', kind: 'quality', weight: '5' }));
    expect(criterionIssues({ name: 'One more', kind: 'quality', weight: '1' }, full)).toEqual([
      { path: 'criterion.name', message: `You can add up to ${MAX_CRITERIA} criteria` },
    ]);
    expect(weightTotal([...full.slice(0, 3), { name: 'P', kind: 'price', weight: 'x' }])).toBe(15);
  });
});

describe('the answers as the body of POST /competitions', () => {
  it('makes exactly the body the JSON route accepts from a complete set of answers', () => {
    const { issues, body, tier } = wizardIssues(complete(), rules, NOW);
    expect(issues).toEqual([]);
    expect(tier).toBe('core');
    expect(body).toEqual({
      title: 'Housing support in the North East',
      description: 'Floating support for people leaving prison.',
      services: ['accommodation'],
      regions: ['north_east'],
      estimatedValuePence: 25_000_000,
      termMonths: 24,
      risk: 'medium',
      prequalificationDeadline: '2027-01-15T17:00:00.000Z',
      tenderDeadline: '2027-07-01T11:00:00.000Z',
      criteria: [
        { id: 'quality-of-service', name: 'Quality of service', kind: 'quality', weight: 60 },
        { id: 'price', name: 'Price', kind: 'price', weight: 40 },
      ],
      subcontracting: { targetPercent: 12.5, voluntarySectorTargetPercent: 5 },
      confidential: { budgetCeilingPence: 30_000_050, notes: 'Ceiling agreed with finance.' },
    });
    expect(createBody.parse(body)).toEqual(body);
  });

  it('refuses a deadline closer than the minimum period publishing needs, as publish would, naming the setting', () => {
    // Five days after now: the draft could be created but never published (minimum ten days, a setting;
    // the test environment sets it to none, so these rules name the defaults).
    const soon = { day: '26', month: '11', year: '2026', time: '5pm' };
    const periods = { ...rules, minPrequalificationDays: 10, minTenderDays: 25 };
    const { issues, body } = wizardIssues({ ...complete(), prequalificationDeadline: soon }, periods, NOW);
    expect(body).toBeUndefined();
    expect(issues).toEqual([
      {
        path: 'prequalificationDeadline',
        message:
          'The pre-qualification deadline must be at least 10 days after publication. Choose a later date, or the draft cannot be published.',
      },
    ]);
    expect(wizardIssues(complete(), periods, NOW).issues).toEqual([]);
    // Tier none: the tender deadline carries the minimum (the tender period).
    const none = { ...complete(), value: '50000', risk: 'low', tenderDeadline: soon };
    expect(wizardIssues(none, periods, NOW).issues.map((i) => i.path)).toEqual(['tenderDeadline']);
    expect(wizardIssues(none, periods, NOW).issues[0]?.message).toContain('at least 25 days');
  });

  it('leaves out what was left blank, and the pre-qualification deadline when the tier needs none', () => {
    const draft: CompetitionWizardDraft = {
      ...complete(),
      value: '50000',
      risk: 'low',
      subcontractingTarget: '',
      voluntaryTarget: '',
      budgetCeiling: '',
      notes: '  ',
    };
    expect(tierOf(draft, rules)).toBe('none');
    const { issues, body } = wizardIssues(draft, rules, NOW);
    expect(issues).toEqual([]);
    expect(body).not.toHaveProperty('prequalificationDeadline');
    expect(body).not.toHaveProperty('subcontracting');
    expect(body).not.toHaveProperty('confidential');
  });

  it('decides the tier by the thresholds in configuration', () => {
    const tier = (value: string, termMonths: string, risk: string) =>
      tierOf({ value, termMonths, risk }, rules);
    expect(tier('99999.99', '12', 'low')).toBe('none');
    expect(tier('100000', '12', 'low')).toBe('core');
    expect(tier('99999.99', '12', 'medium')).toBe('core');
    expect(tier('999999.99', '60', 'medium')).toBe('core');
    expect(tier('1000000', '12', 'low')).toBe('full');
    expect(tier('1000', '61', 'low')).toBe('full');
    expect(tier('1000', '12', 'high')).toBe('full');
    expect(tier('lots', '12', 'low')).toBeUndefined();
    expect(tier('1000', '241', 'low')).toBeUndefined();
    expect(tier('1000', '12', 'extreme')).toBeUndefined();
  });

  it('reports each unreadable answer once, against its field, in plain words', () => {
    const { issues, body } = wizardIssues(
      {
        ...complete(),
        title: '',
        services: [],
        value: 'ten pounds',
        termMonths: '',
        risk: '',
        tenderDeadline: { day: '1', month: '7', year: '2027', time: 'teatime' },
        voluntaryTarget: '5',
        subcontractingTarget: '',
        budgetCeiling: '-3',
      },
      rules,
      NOW,
    );
    expect(body).toBeUndefined();
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'title', message: 'Enter a title for the competition' },
        { path: 'services', message: 'Select the services the contract is for' },
        { path: 'estimatedValuePence', message: 'Enter an amount in pounds, like 250000 or 1234.50' },
        {
          path: 'termMonths',
          message: 'Enter the term of the contract as a whole number of months from 1 to 240',
        },
        { path: 'risk', message: 'Select how risky the contract is' },
        {
          path: 'tenderDeadline.time',
          message: 'Enter the time of the tender deadline as a time of day, like 5pm or 17:00',
        },
        {
          path: 'subcontracting.targetPercent',
          message: 'Enter the sub-contracting target too, to set a voluntary sector share of it',
        },
        {
          path: 'confidential.budgetCeilingPence',
          message: 'Enter an amount in pounds, like 250000 or 1234.50',
        },
      ]),
    );
    const paths = issues.map((issue) => issue.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).not.toContain('tenderDeadline');
    expect(paths).not.toContain('subcontracting');
  });

  it('says in plain words when the weights do not add up to 100 or there is not one price criterion', () => {
    const weights = wizardIssues(
      {
        ...complete(),
        criteria: [
          { name: 'Quality', kind: 'quality', weight: '50' },
          { name: 'Price', kind: 'price', weight: '40' },
        ],
      },
      rules,
      NOW,
    ).issues;
    expect(weights).toEqual([
      { path: 'criteria', message: 'Weights must add up to 100 (they add up to 90)' },
    ]);
    const prices = wizardIssues(
      {
        ...complete(),
        criteria: [
          { name: 'Price', kind: 'price', weight: '50' },
          { name: 'Cost', kind: 'price', weight: '50' },
        ],
      },
      rules,
      NOW,
    ).issues;
    expect(prices).toEqual([
      { path: 'criteria', message: 'Give exactly one price criterion (there are 2)' },
      { path: 'criteria', message: 'Give at least one quality criterion' },
    ]);
    const none = wizardIssues({ ...complete(), criteria: [] }, rules, NOW).issues;
    expect(none).toEqual([
      {
        path: 'criteria',
        message: 'Add at least two criteria: one price criterion and at least one quality criterion',
      },
    ]);
  });

  it('applies the deadline rules once the tier is known: in the future, in order, and the one the tier needs', () => {
    const past = wizardIssues(
      { ...complete(), tenderDeadline: { day: '1', month: '1', year: '2026', time: '9am' } },
      rules,
      NOW,
    ).issues;
    expect(past).toContainEqual({
      path: 'tenderDeadline',
      message: 'The tender deadline must be in the future',
    });
    const order = wizardIssues(
      { ...complete(), prequalificationDeadline: { day: '2', month: '7', year: '2027', time: '9am' } },
      rules,
      NOW,
    ).issues;
    expect(order).toEqual([
      {
        path: 'tenderDeadline',
        message: 'The tender deadline must come after the pre-qualification deadline',
      },
    ]);
    const missing = wizardIssues({ ...complete(), prequalificationDeadline: undefined }, rules, NOW).issues;
    expect(missing).toEqual([
      {
        path: 'prequalificationDeadline',
        message: 'Enter the date and time pre-qualification closes: this contract needs pre-qualification',
      },
    ]);
  });

  it('tells each page its own questions', () => {
    expect(stepOf('title')).toBe('title');
    expect(stepOf('estimatedValuePence')).toBe('value');
    expect(stepOf('tenderDeadline.time')).toBe('deadlines');
    expect(stepOf('criteria')).toBe('criteria');
    expect(stepOf('criterion.weight')).toBe('criteria');
    expect(stepOf('subcontracting.targetPercent')).toBe('subcontracting');
    expect(stepOf('confidential.notes')).toBe('confidential');
    expect(isStep('deadlines')).toBe(true);
    expect(isStep('check-your-answers')).toBe(false);
    expect(isStep('constructor')).toBe(false);
  });

  it('keeps regions × services within what one transaction can list', () => {
    const draft = {
      ...complete(),
      regions: ['north_east', 'north_west', 'london', 'wales', 'south_east', 'south_west', 'east_midlands'],
      services: [
        'accommodation',
        'health',
        'drugs_alcohol',
        'unpaid_work',
        'victim_services',
        'restorative_justice',
        'approved_premises',
        'electronic_monitoring',
        'custodial_services',
        'offender_management',
        'children_families',
        'finance_benefit_debt',
        'education_training_employment',
      ],
    };
    const { issues } = wizardIssues(draft, rules, NOW);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'regions', message: expect.stringMatching(/Too many regions/) });
    expect(competitionBody({ ...draft, regions: ['national', 'london'] }, rules).formIssues).toEqual([]);
    expect(wizardIssues({ ...draft, regions: ['national', 'london'] }, rules, NOW).issues).toContainEqual({
      path: 'regions',
      message: 'Choose national on its own, or the regions the contract covers',
    });
  });
});
