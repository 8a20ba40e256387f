/**
 * The bid page's scoring and moderation forms, read without I/O (`shared/web/pages/commissioning/scoring-forms.ts`):
 * rows as posted, the JSON body the schema checks, the fields a person must fill in, and issues shown
 * against the criterion they concern.
 */
import { describe, expect, it } from 'vitest';
import { moderatedBody, scoresBody } from '../../shared/http/schemas/tenders';
import {
  firstPerPath,
  formValues,
  issuesForForm,
  readScoreForm,
  requiredIssues,
  scoreFieldNames,
  scoresBodyOf,
} from '../../shared/web/pages/commissioning/scoring-forms';

const criteria = [
  { id: 'quality', name: 'Quality of service' },
  { id: 'social-value', name: 'Social value' },
];

describe('reading the form', () => {
  it('names each criterion’s fields after the JSON body’s paths', () => {
    expect(scoreFieldNames(1, 'justification')).toEqual({
      criterionId: 'scores.1.criterionId',
      score: 'scores.1.score',
      note: 'scores.1.justification',
    });
    expect(scoreFieldNames(0, 'rationale').note).toBe('scores.0.rationale');
  });

  it('reads rows in the order posted, up to the first missing criterion id', () => {
    const form = new URLSearchParams({
      'scores.0.criterionId': 'quality',
      'scores.0.score': '4',
      'scores.0.justification': 'Clear method\r\nwith evidence',
      'scores.1.criterionId': 'social-value',
      // No score chosen, no justification: both come back blank.
      'scores.3.criterionId': 'after-a-gap',
    });
    expect(readScoreForm(form, 'justification')).toEqual([
      { criterionId: 'quality', score: '4', note: 'Clear method\r\nwith evidence' },
      { criterionId: 'social-value', score: '', note: '' },
    ]);
    expect(readScoreForm(new URLSearchParams(), 'rationale')).toEqual([]);
  });

  it('builds the body PUT …/scores takes, notes exactly as typed, which the JSON schema accepts', () => {
    const body = scoresBodyOf(
      [{ criterionId: 'quality', score: '4', note: ' Clear method\r\n' }],
      'justification',
    );
    expect(body).toEqual({
      scores: [{ criterionId: 'quality', score: 4, justification: ' Clear method\r\n' }],
    });
    expect(scoresBody.safeParse(body).success).toBe(true);
    const moderation = scoresBodyOf([{ criterionId: 'quality', score: '0', note: 'Agreed' }], 'rationale');
    expect(moderation).toEqual({ scores: [{ criterionId: 'quality', score: 0, rationale: 'Agreed' }] });
    expect(moderatedBody.safeParse(moderation).success).toBe(true);
  });

  it('leaves a score that is not a whole number for the JSON schema to refuse, and none chosen as missing', () => {
    const body = scoresBodyOf(
      [
        { criterionId: 'quality', score: '', note: 'x' },
        { criterionId: 'social-value', score: '2.5', note: 'x' },
        { criterionId: 'other', score: '9', note: 'x' },
      ],
      'justification',
    );
    expect(body.scores).toEqual([
      { criterionId: 'quality', score: undefined, justification: 'x' },
      { criterionId: 'social-value', score: '2.5', justification: 'x' },
      { criterionId: 'other', score: 9, justification: 'x' },
    ]);
    const parsed = scoresBody.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'scores.0.score',
      'scores.1.score',
      'scores.2.score',
    ]);
  });
});

describe('what a person must fill in', () => {
  it('asks for a score and a note on every criterion, blank notes included', () => {
    expect(
      requiredIssues(
        [
          { criterionId: 'quality', score: '', note: '   ' },
          { criterionId: 'social-value', score: '3', note: 'Fine' },
        ],
        'justification',
      ),
    ).toEqual([
      { path: 'scores.0.score', message: 'Select a score' },
      { path: 'scores.0.justification', message: 'Write a justification' },
    ]);
    expect(requiredIssues([{ criterionId: 'quality', score: '1', note: '' }], 'rationale')).toEqual([
      { path: 'scores.0.rationale', message: 'Write a rationale' },
    ]);
  });

  it('keeps the first issue of each path', () => {
    expect(
      firstPerPath([
        { path: 'scores.0.score', message: 'first' },
        { path: 'scores.0.score', message: 'second' },
        { path: 'scores.1.score', message: 'other' },
      ]),
    ).toEqual([
      { path: 'scores.0.score', message: 'first' },
      { path: 'scores.1.score', message: 'other' },
    ]);
  });
});

describe('issues shown on the form', () => {
  const rows = [
    { criterionId: 'social-value', score: '', note: '' },
    { criterionId: 'quality', score: '9', note: '' },
  ];

  it('moves each issue to where its criterion is drawn, names the criterion, and lists them in field order', () => {
    const shown = issuesForForm(
      [
        { path: 'scores.1.justification', message: 'Write a justification' },
        { path: 'scores.0.score', message: 'Invalid input: expected number, received undefined' },
        { path: 'scores.1.score', message: 'Give a whole number from 0 to 5' },
      ],
      rows,
      criteria,
      'justification',
    );
    expect(shown).toEqual([
      { path: 'scores.0.score', message: 'Give a whole number from 0 to 5 for Quality of service' },
      { path: 'scores.0.justification', message: 'Write a justification for Quality of service' },
      { path: 'scores.1.score', message: 'Select a score from 0 to 5 for Social value' },
    ]);
  });

  it('shows a problem with the hidden criterion id, or with the scores as a whole, on a score', () => {
    const shown = issuesForForm(
      [
        { path: 'scores.0.criterionId', message: 'Not a quality criterion of this competition' },
        { path: 'scores', message: 'Agree a score for "Quality of service"' },
      ],
      [{ criterionId: 'forged', score: '3', note: 'x' }],
      criteria,
      'rationale',
    );
    expect(shown).toEqual([
      { path: 'scores.0.score', message: 'Not a quality criterion of this competition (forged)' },
    ]);
    expect(
      issuesForForm(
        [{ path: 'scores', message: 'Agree a score for "Social value"' }],
        [],
        criteria,
        'rationale',
      ),
    ).toEqual([{ path: 'scores.0.score', message: 'Agree a score for "Social value"' }]);
  });
});

describe('the values the form is drawn with', () => {
  it('prefers what was typed, then the earlier scores, then blank', () => {
    const earlier = [
      { criterionId: 'quality', score: 2, note: 'Earlier' },
      { criterionId: 'social-value', score: 5, note: 'Earlier too' },
    ];
    expect(formValues(criteria, undefined, earlier)).toEqual({
      quality: { score: '2', note: 'Earlier' },
      'social-value': { score: '5', note: 'Earlier too' },
    });
    expect(formValues(criteria, [{ criterionId: 'quality', score: '', note: 'Typed' }], earlier)).toEqual({
      quality: { score: '', note: 'Typed' },
      'social-value': { score: '5', note: 'Earlier too' },
    });
    expect(formValues(criteria, undefined, [])).toEqual({
      quality: { score: '', note: '' },
      'social-value': { score: '', note: '' },
    });
  });
});
