/**
 * SES bounce and complaint notifications (issue 17, `shared/email/ses-feedback.ts`): a permanent bounce or
 * a complaint names the addresses to suppress; a transient or undetermined bounce and every other event
 * name none; anything that is not such a notification is refused with `SesFeedbackError` and never throws
 * anything else, whatever the input (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_FEEDBACK_MESSAGE_LENGTH,
  MAX_FEEDBACK_RECIPIENTS,
  parseSesFeedback,
  SesFeedbackError,
} from '../../shared/email/ses-feedback';

const NOW = new Date('2026-12-03T10:00:00.000Z');

/** An SES event-publishing bounce, as the configuration set's SNS destination sends it. */
function bounce(bounceType: string, addresses: string[], extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    eventType: 'Bounce',
    bounce: {
      feedbackId: '0102015a-example',
      bounceType,
      bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
      bouncedRecipients: addresses.map((emailAddress) => ({
        emailAddress,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      })),
      timestamp: '2026-12-03T09:58:01.123Z',
      reportingMTA: 'dsn; a1-2.smtp-out.eu-west-2.amazonses.com',
    },
    mail: { timestamp: '2026-12-03T09:58:00.000Z', source: 'no-reply@example.gov.uk', messageId: 'm1' },
    ...extra,
  });
}

function complaint(addresses: string[], key: 'eventType' | 'notificationType' = 'eventType') {
  return JSON.stringify({
    [key]: 'Complaint',
    complaint: {
      complainedRecipients: addresses.map((emailAddress) => ({ emailAddress })),
      timestamp: '2026-12-03T09:59:00Z',
      feedbackId: 'f1',
      complaintFeedbackType: 'abuse',
    },
    mail: { messageId: 'm2' },
  });
}

describe('parseSesFeedback', () => {
  it('a permanent bounce suppresses each address, lower-cased, bare and once', () => {
    expect(
      parseSesFeedback(
        bounce('Permanent', ['Ann@Example.org', '"Bo" <bo@example.org>', 'ann@example.org']),
        NOW,
      ),
    ).toEqual({
      type: 'bounce',
      recipients: ['ann@example.org', 'bo@example.org'],
      at: '2026-12-03T09:58:01.123Z',
    });
  });

  it('a complaint suppresses its addresses, in either of the forms SES sends', () => {
    for (const key of ['eventType', 'notificationType'] as const) {
      expect(parseSesFeedback(complaint(['cat@example.org'], key), NOW)).toEqual({
        type: 'complaint',
        recipients: ['cat@example.org'],
        at: '2026-12-03T09:59:00.000Z',
      });
    }
  });

  it('a transient or undetermined bounce, and every other event, suppress nothing', () => {
    expect(parseSesFeedback(bounce('Transient', ['ann@example.org']), NOW)).toBeUndefined();
    expect(parseSesFeedback(bounce('Undetermined', ['ann@example.org']), NOW)).toBeUndefined();
    for (const eventType of ['Delivery', 'Send', 'Open', 'Click', 'Reject', 'DeliveryDelay']) {
      expect(parseSesFeedback(JSON.stringify({ eventType, mail: {} }), NOW)).toBeUndefined();
    }
  });

  it('uses the time it was read when SES gives none', () => {
    const message = JSON.stringify({
      notificationType: 'Bounce',
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'x@example.org' }] },
    });
    expect(parseSesFeedback(message, NOW)?.at).toBe(NOW.toISOString());
  });

  it('refuses a bounce or complaint it cannot read rather than guess', () => {
    const refused = [
      'not json',
      '',
      'null',
      '[]',
      '"Bounce"',
      JSON.stringify({ eventType: 'Bounce' }),
      JSON.stringify({ eventType: 'Complaint', complaint: { complainedRecipients: [] } }),
      bounce('Permanent', ['no-at-sign']),
      bounce('Permanent', ['a b@example.org']),
      bounce(
        'Permanent',
        Array.from({ length: MAX_FEEDBACK_RECIPIENTS + 1 }, (_, i) => `r${i}@example.org`),
      ),
      JSON.stringify({
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: 'a@b.c' },
      }),
      `${' '.repeat(MAX_FEEDBACK_MESSAGE_LENGTH)}{}`,
    ];
    for (const message of refused) {
      expect(() => parseSesFeedback(message, NOW), message.slice(0, 80)).toThrow(SesFeedbackError);
    }
  });

  it('never throws anything but SesFeedbackError, and never suppresses a non-address, whatever it is given', () => {
    const anyJson = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value));
    const nearMisses = fc
      .record({
        eventType: fc.constantFrom('Bounce', 'Complaint', 'bounce', 'Delivery', '__proto__', 'constructor'),
        bounceType: fc.constantFrom('Permanent', 'Transient', 'Undetermined', ''),
        addresses: fc.array(fc.oneof(fc.string(), fc.emailAddress()), { maxLength: 60 }),
        timestamp: fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
      })
      .map(({ eventType, bounceType, addresses, timestamp }) =>
        JSON.stringify({
          eventType,
          bounce: {
            bounceType,
            bouncedRecipients: addresses.map((emailAddress) => ({ emailAddress })),
            timestamp,
          },
          complaint: { complainedRecipients: addresses.map((emailAddress) => ({ emailAddress })), timestamp },
        }),
      );
    fc.assert(
      fc.property(fc.oneof(fc.string(), anyJson, nearMisses), (message) => {
        let result: ReturnType<typeof parseSesFeedback>;
        try {
          result = parseSesFeedback(message, NOW);
        } catch (error) {
          expect(error).toBeInstanceOf(SesFeedbackError);
          return;
        }
        if (result === undefined) return;
        expect(result.recipients.length).toBeGreaterThan(0);
        expect(result.recipients.length).toBeLessThanOrEqual(MAX_FEEDBACK_RECIPIENTS);
        for (const address of result.recipients) {
          expect(address).toMatch(/^[^\s<>@A-Z]+@[^\s<>@A-Z]+$/);
        }
        expect(Number.isNaN(Date.parse(result.at))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
