/**
 * The key that seals the web cookies, as the web functions obtain it at run time.
 *
 * Locally (and in tests) it is a value in the configuration (`WEB_COOKIE_SECRET`, from
 * `local/cookie-key.ts`). In AWS the functions' configuration holds only the secret's ARN
 * (`WEB_COOKIE_SECRET_ARN`): a value there would be readable by anyone allowed
 * `lambda:GetFunctionConfiguration`. The key is read from Secrets Manager on first use – the first request a
 * fresh execution environment serves – and kept for the life of that environment; a failed read is not
 * kept, so the next request tries again.
 *
 * The SDK client is loaded only on that path (`@aws-sdk/*` is provided by the Lambda runtime, not bundled),
 * so it costs the local stack and the functions' module init nothing.
 */
import type { GetSecretValueCommand, GetSecretValueCommandOutput } from '@aws-sdk/client-secrets-manager';
import { config, decodeCookieKey } from '../config';

/** What the reader needs of a Secrets Manager client: `send`, as the SDK's client has it. */
export interface SecretsClient {
  send(command: GetSecretValueCommand): Promise<Pick<GetSecretValueCommandOutput, 'SecretString'>>;
}

/** Where the key comes from: a value (local) or a secret's ARN (AWS). */
export interface CookieKeySource {
  secret: Uint8Array | undefined;
  secretArn: string | undefined;
  /** The region of the SDK client, when one has to be made. */
  region: string;
}

/** Thrown when no key is configured or the secret does not hold one; the value is never in the message. */
export class CookieKeyError extends Error {
  override readonly name = 'CookieKeyError';
}

/**
 * Builds a reader of the cookie key. A value in `source` wins; otherwise the secret at `secretArn` is
 * fetched once (concurrent first calls share the fetch; a failed fetch is forgotten) with `client`, or with
 * the SDK's Secrets Manager client, made on first use.
 */
export function createCookieKeyReader(client?: SecretsClient): (source: CookieKeySource) => Promise<Buffer> {
  let cached: { arn: string; key: Promise<Buffer> } | undefined;
  const fetchKey = async (arn: string, region: string): Promise<Buffer> => {
    const sdk = await import('@aws-sdk/client-secrets-manager');
    client ??= new sdk.SecretsManagerClient({ region });
    const { SecretString } = await client.send(new sdk.GetSecretValueCommand({ SecretId: arn }));
    try {
      return decodeCookieKey(SecretString?.trim() ?? '', `The secret ${arn}`);
    } catch (error) {
      throw new CookieKeyError(`${(error as Error).message}: no web cookie key`);
    }
  };
  return (source) => {
    if (source.secret) return Promise.resolve(Buffer.from(source.secret));
    const arn = source.secretArn;
    if (!arn) {
      return Promise.reject(
        new CookieKeyError('Neither WEB_COOKIE_SECRET nor WEB_COOKIE_SECRET_ARN is set: no web cookie key'),
      );
    }
    if (cached?.arn !== arn) {
      const key = fetchKey(arn, source.region).catch((error: unknown) => {
        if (cached?.key === key) cached = undefined;
        throw error;
      });
      cached = { arn, key };
    }
    return cached.key;
  };
}

let reader: ((source: CookieKeySource) => Promise<Buffer>) | undefined;

/**
 * The process-wide cookie key (32 bytes, AES-256): the configured value, or the Secrets Manager secret
 * named by `WEB_COOKIE_SECRET_ARN`, read once per execution environment.
 * @throws CookieKeyError when neither is configured or the secret holds no such key.
 */
export async function cookieKey(): Promise<Buffer> {
  const { region, web } = config();
  reader ??= createCookieKeyReader();
  return reader({ secret: web.cookieSecret, secretArn: web.cookieSecretArn, region });
}
