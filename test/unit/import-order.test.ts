/**
 * Importing the use cases (as the bench, the demo data and the local stack do before they set the
 * configuration) reads no configuration: `config()` is read once per process and kept, so a module that
 * read it at import time froze a configuration without the DynamoDB endpoint (`npm run bench` then failed
 * with "Could not load credentials from any providers").
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('importing the bench scenarios and the demo data', () => {
  it('leaves the configuration to be read after the environment is set', () => {
    const script = `
      delete process.env.DYNAMODB_ENDPOINT;
      await import('./bench/scenarios.ts');
      await import('./bench/scenarios-competitions.ts');
      await import('./bench/scenarios-pages.ts');
      await import('./local/demo/competitions.ts');
      await import('./local/demo/subcontracting.ts');
      process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:1';
      const { config } = await import('./shared/config.ts');
      console.log(JSON.stringify(config().dynamodbEndpoint));
    `;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1' },
      encoding: 'utf8',
    });
    expect(output.trim().split('\n').at(-1)).toBe('"http://127.0.0.1:1"');
  }, 60_000);
});
