/**
 * The service's CDK app, synthesized once for all of its suites: synthesis with cdk-nag costs seconds,
 * so the template, least-privilege and cdk-nag suites share one in-process synthesis instead of paying
 * for three.
 */
import { afterAll } from 'vitest';
import { dailyDigestSuite } from './suites/daily-digest';
import { documentsSuite } from './suites/documents';
import { leastPrivilegeSuite } from './suites/least-privilege';
import { nagSuite } from './suites/nag';
import { notificationDeliverySuite } from './suites/notification-delivery';
import { notificationRemindersSuite } from './suites/notification-reminders';
import { publicationSuite } from './suites/publication';
import { sesEventsSuite } from './suites/ses-events';
import { stacksSuite } from './suites/stacks';
import { synthesize } from './synth';

const synth = synthesize();
afterAll(() => synth.dispose());

stacksSuite(synth);
leastPrivilegeSuite(synth);
nagSuite(synth);
documentsSuite(synth);
publicationSuite(synth);
dailyDigestSuite(synth);
notificationRemindersSuite(synth);
notificationDeliverySuite(synth);
sesEventsSuite(synth);
