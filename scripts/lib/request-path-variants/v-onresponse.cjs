const { default: Fastify } = require('fastify');
const app = Fastify({ logger: false });
const schema = {
  response: { 200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } },
};
let n = 0;
app.addHook('onResponse', (request, reply, done) => {
  n++;
  done();
});
app.get('/health', { schema }, async () => ({ status: 'ok' }));
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
