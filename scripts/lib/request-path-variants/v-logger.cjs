const { default: Fastify, LogController } = require('fastify');
const app = Fastify({
  logger: { level: 'warn', stream: process.stderr },
  logController: new LogController({ disableRequestLogging: true }),
  childLoggerFactory: (p) => p,
});
const schema = {
  response: { 200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } },
};
app.get('/health', { schema }, async () => ({ status: 'ok' }));
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
