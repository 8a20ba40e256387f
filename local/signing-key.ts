/**
 * The local token signing key: an ES256 key pair kept in the data directory, so tokens minted by
 * `npm run token` stay valid across restarts. API Gateway's JWT authorizer plays this part in AWS.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type CryptoKey,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';

/** Issuer and audience of local tokens. */
export const LOCAL_ISSUER = 'urn:offender-services:local-gateway';
export const LOCAL_AUDIENCE = 'offender-services-local';
const ALG = 'ES256';

/** The key pair and its id. */
export interface SigningKey {
  kid: string;
  /** The file it was read from (in the data directory): named when a token signed by another key is refused. */
  file: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/** Loads the key from `<dataDir>/jwt-signing-key.json`, creating it on first use. */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const file = join(dataDir, 'jwt-signing-key.json');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = `local-${Date.now().toString(36)}`;
    writeFileSync(file, JSON.stringify({ ...jwk, kid, alg: ALG }, null, 2), { mode: 0o600 });
  }
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK & { kid: string };
  const { d: _private, ...publicJwk } = jwk;
  return {
    kid: jwk.kid,
    file,
    privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, ALG)) as CryptoKey,
  };
}

/**
 * Why a token was refused, in words a developer can act on. A token minted by `npm run token` with another
 * `DATA_DIR` than the running API's is signed by another key: say which key this API checks against and
 * how to mint one it accepts, rather than only jose's "signature verification failed".
 */
export function refusalDetail(key: SigningKey, token: string, error: unknown): string {
  const reason = (error as Error).message;
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return `The bearer token was refused: ${reason}`;
  }
  const code = (error as { code?: string }).code;
  if (code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' && kid === key.kid) {
    return `The bearer token was refused: ${reason}`;
  }
  const dataDir = dirname(key.file);
  return (
    `The bearer token was refused: ${reason}. It was signed by ${typeof kid === 'string' ? `key "${kid}"` : 'an unknown key'}, ` +
    `but this local API checks tokens against key "${key.kid}" in ${key.file}. A token minted with another DATA_DIR is ` +
    `refused: mint one with the API's data directory, DATA_DIR=${dataDir} npm run --silent token -- --sub <you>.`
  );
}

/** Mints a token like a Cognito ID token: `sub`, `email`, `cognito:groups`. */
export async function mintToken(
  key: SigningKey,
  claims: { sub: string; email?: string; groups?: string[] },
  options: { expiresIn?: string | number } = {},
): Promise<string> {
  const payload: JWTPayload = { email: claims.email, 'cognito:groups': claims.groups ?? [], token_use: 'id' };
  if (!claims.email) delete payload.email;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(key.privateKey);
}

/**
 * Verifies a bearer token: ES256 only (so `alg: none` and HS256 are refused), signed by this key, issued
 * here, not expired. Returns the claims or throws jose's error.
 */
export async function verifyToken(key: SigningKey, token: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, key.publicKey, {
    algorithms: [ALG],
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    requiredClaims: ['sub', 'exp'],
  });
  return payload;
}
