/**
 * CDK entry point (`cdk.json` runs it with `node --import tsx`): the stateful and stateless stacks of the
 * service, checked by cdk-nag. See `infra/build.ts`.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { buildServiceApp } from './build';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const app = new App();
buildServiceApp(app, { repoRoot });
app.synth();
