/**
 * The web functions' Powertools logger. Their own instance rather than `shared/http/logger.ts`'s, which
 * also builds the JSON routes' metrics: pages publish none, and the page bundles stay smaller without them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { config } from '../config';
import { installFailureReporter } from '../failure-reporter';

/** Structured JSON logger; `injectLambdaContext` adds the request id to every line. */
export const logger = new Logger({ serviceName: config().serviceName });

// Failures a use case must not turn into an error answer are logged here (pages publish no metrics), unless
// the JSON functions' logger is loaded too (the local stack), whose reporter also counts them.
installFailureReporter(
  { error: (message, attributes) => logger.error(message, attributes), count: () => {} },
  'web',
);
