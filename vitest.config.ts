import { defineConfig } from 'vitest/config';

// The same environment as every local command (the AWS SDK's Node.js 20 warning off): set here, in the main
// process, so the test workers and every process a test starts inherit it.
process.loadEnvFile('local/node.env');

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DynamoDB Local is started once for the whole run; each test file gets its own table prefix.
    globalSetup: ['test/setup/global-dynamodb.ts', 'test/setup/global-s3.ts', 'test/setup/global-browser.ts'],
    setupFiles: ['test/setup/env.ts', 'test/setup/no-scan.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: two workers keep the machine responsive for DynamoDB Local.
    maxWorkers: 2,
    // The JSON report lets .ci/run print a plain 'N passed, N failed' closing line.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
