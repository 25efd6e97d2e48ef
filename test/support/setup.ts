// Lambda-like environment for every test file: handlers read these at cold start.
process.env.POWERTOOLS_SERVICE_NAME ??= 'aftercare-test';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'AftercareTest';
process.env.POWERTOOLS_DEV ??= 'false';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'eu-north-1';
process.env.TZ = 'UTC';
