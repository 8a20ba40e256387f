/**
 * The service's CDK app, synthesized once for all of its suites: synthesis with cdk-nag costs seconds,
 * so the template, least-privilege and cdk-nag suites share one in-process synthesis instead of paying
 * for three.
 */
import { afterAll } from 'vitest';
import { documentsSuite } from './suites/documents';
import { leastPrivilegeSuite } from './suites/least-privilege';
import { nagSuite } from './suites/nag';
import { publicationSuite } from './suites/publication';
import { stacksSuite } from './suites/stacks';
import { synthesize } from './synth';

const synth = synthesize();
afterAll(() => synth.dispose());

stacksSuite(synth);
leastPrivilegeSuite(synth);
nagSuite(synth);
documentsSuite(synth);
publicationSuite(synth);
