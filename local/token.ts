/**
 * `npm run --silent token -- --sub alice [--email alice@example.org] [--groups commissioner,admin]`
 * prints a token signed by the local key (valid 12 hours) and nothing else.
 */
import { parseArgs } from 'node:util';
import { GROUPS } from '../shared/domain/principal';
import { localConfig } from './local-config';
import { loadOrCreateSigningKey, mintToken } from './signing-key';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      email: { type: 'string' },
      groups: { type: 'string', default: '' },
      'expires-in': { type: 'string', default: '12h' },
    },
    strict: true,
  });
  if (!values.sub)
    throw new Error(
      'Usage: npm run --silent token -- --sub alice [--email a@b.org] [--groups commissioner,admin]',
    );
  const groups = (values.groups ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  const unknown = groups.filter((g) => !(GROUPS as readonly string[]).includes(g));
  if (unknown.length > 0)
    throw new Error(`Unknown group(s): ${unknown.join(', ')}. Known: ${GROUPS.join(', ')}`);
  const key = await loadOrCreateSigningKey(localConfig().dataDir);
  const token = await mintToken(
    key,
    { sub: values.sub, groups, ...(values.email ? { email: values.email } : {}) },
    { expiresIn: values['expires-in'] ?? '12h' },
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(2);
});
