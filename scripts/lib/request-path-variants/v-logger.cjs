// + a logger at level warn, request logging off, a child-logger factory of ours (the API before f943cef)
const { LogController } = require('fastify');
require('./scripts/lib/request-path-variants/base.cjs')({
  logger: { level: 'warn', stream: process.stderr },
  logController: new LogController({ disableRequestLogging: true }),
  childLoggerFactory: (parent) => parent,
});
