/**
 * The key of the one-click unsubscribe tokens (issue 17), as the functions that make or check them obtain it
 * at run time: the delivery (each e-mail's `List-Unsubscribe` address), `POST /unsubscribe/{token}` and the
 * unsubscribe page.
 *
 * Locally (and in tests) it is a value in the configuration (`UNSUBSCRIBE_KEY`, from
 * `local/unsubscribe-key.ts`, or a random key per process). In AWS the functions' configuration holds only
 * the secret's ARN (`UNSUBSCRIBE_KEY_ARN`), as for the web cookie key (`shared/web/cookie-key.ts`): the key
 * is read from Secrets Manager on first use and kept for the life of the execution environment; a failed
 * read is not kept, so the next request tries again. The SDK client is loaded only on that path.
 */
import type { GetSecretValueCommand, GetSecretValueCommandOutput } from '@aws-sdk/client-secrets-manager';
import { config, decodeUnsubscribeKey, mailConfig } from '../config';

/** What the reader needs of a Secrets Manager client. */
export interface UnsubscribeSecretsClient {
  send(command: GetSecretValueCommand): Promise<Pick<GetSecretValueCommandOutput, 'SecretString'>>;
}

/** Where the key comes from: a value (local) or a secret's ARN (AWS). */
export interface UnsubscribeKeySource {
  key: Uint8Array | undefined;
  keyArn: string | undefined;
  region: string;
}

/** Thrown when no key is configured or the secret does not hold one; the value is never in the message. */
export class UnsubscribeKeyError extends Error {
  override readonly name = 'UnsubscribeKeyError';
}

/**
 * Builds a reader of the unsubscribe key. A value in `source` wins; otherwise the secret at `keyArn` is
 * fetched once (concurrent first calls share the fetch; a failed fetch is forgotten) with `client`, or with
 * the SDK's Secrets Manager client, made on first use.
 */
export function createUnsubscribeKeyReader(
  client?: UnsubscribeSecretsClient,
): (source: UnsubscribeKeySource) => Promise<Buffer> {
  let cached: { arn: string; key: Promise<Buffer> } | undefined;
  const fetchKey = async (arn: string, region: string): Promise<Buffer> => {
    const sdk = await import('@aws-sdk/client-secrets-manager');
    client ??= new sdk.SecretsManagerClient({ region });
    const { SecretString } = await client.send(new sdk.GetSecretValueCommand({ SecretId: arn }));
    try {
      return decodeUnsubscribeKey(SecretString?.trim() ?? '', `The secret ${arn}`);
    } catch (error) {
      throw new UnsubscribeKeyError(`${(error as Error).message}: no unsubscribe key`);
    }
  };
  return (source) => {
    if (source.key) return Promise.resolve(Buffer.from(source.key));
    const arn = source.keyArn;
    if (!arn) {
      return Promise.reject(
        new UnsubscribeKeyError('Neither UNSUBSCRIBE_KEY nor UNSUBSCRIBE_KEY_ARN is set: no unsubscribe key'),
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

let reader: ((source: UnsubscribeKeySource) => Promise<Buffer>) | undefined;

/**
 * The process-wide unsubscribe key: the configured value, or the Secrets Manager secret named by
 * `UNSUBSCRIBE_KEY_ARN`, read once per execution environment.
 * @throws UnsubscribeKeyError when neither is configured or the secret holds no such key.
 */
export async function unsubscribeKey(): Promise<Buffer> {
  const { unsubscribeKey: key, unsubscribeKeyArn: keyArn } = mailConfig();
  reader ??= createUnsubscribeKeyReader();
  return reader({ key, keyArn, region: config().region });
}
