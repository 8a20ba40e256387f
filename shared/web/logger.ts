/**
 * The web functions' Powertools logger. Their own instance rather than `shared/http/logger.ts`'s, which
 * also builds the JSON routes' metrics: pages publish none, and the page bundles stay smaller without them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { config } from '../config';

/** Structured JSON logger; `injectLambdaContext` adds the request id to every line. */
export const logger = new Logger({ serviceName: config().serviceName });
