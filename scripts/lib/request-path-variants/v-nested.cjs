const { default: Fastify } = require('fastify');
const app = Fastify({ logger: false });
const schema = {
  response: { 200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } },
};
app.get('/internal/process', async () => ({ a: 1 }));
app.register(async (api) => {
  api.setNotFoundHandler((req, reply) => reply.code(404).send({}));
  await api.register(async (h) => {
    h.get('/health', { schema }, async () => ({ status: 'ok' }));
  });
});
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
