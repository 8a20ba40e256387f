/**
 * The Powertools logger and metrics, one of each per process. Powertools reads its own settings
 * (`POWERTOOLS_LOG_LEVEL`, `POWERTOOLS_METRICS_DISABLED`, …) from the environment.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { config } from '../config';

/** Structured JSON logger; `injectLambdaContext` adds the request id to every line. */
export const logger = new Logger({ serviceName: config().serviceName });

/** CloudWatch embedded-metric-format metrics. */
export const metrics = new Metrics({
  serviceName: config().serviceName,
  namespace: 'OffenderServicesProcurement',
});
