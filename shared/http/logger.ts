/**
 * The Powertools logger and metrics, one of each per process. Powertools reads its own settings
 * (`POWERTOOLS_LOG_LEVEL`, `POWERTOOLS_METRICS_DISABLED`, …) from the environment.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { config } from '../config';
import { installFailureReporter } from '../failure-reporter';

/** Structured JSON logger; `injectLambdaContext` adds the request id to every line. */
export const logger = new Logger({ serviceName: config().serviceName });

/** CloudWatch embedded-metric-format metrics. */
export const metrics = new Metrics({
  serviceName: config().serviceName,
  namespace: 'OffenderServicesProcurement',
});

// Failures a use case must not turn into an error answer are logged and counted here (flushed with the
// request's metrics by `logMetrics`), in preference to any other stack's reporter.
installFailureReporter(
  {
    error: (message, attributes) => logger.error(message, attributes),
    count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
  },
  'json',
);
