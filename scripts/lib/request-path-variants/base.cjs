// Plain Fastify answering /health with the API's bytes and schema (scripts/lib/fastify-health.ts), plus
// one setting: each v-*.cjs (the hooks count their calls, as measured) passes its Fastify options and what it adds to the app. Run from the checkout
// (`node -e`, PORT in the env) by scripts/request-path-profile.ts's EXTRA_RUNGS.
const { default: Fastify } = require('fastify');

module.exports = function serveHealth(options = { logger: false }, add = () => {}) {
  const app = Fastify(options);
  const schema = {
    response: { 200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } },
  };
  // `add` returns true when it routes /health itself
  if (add(app, schema) !== true) app.get('/health', { schema }, async () => ({ status: 'ok' }));
  app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
};
