/**
 * Plain Fastify answering /health with the API's bytes and response schema, and nothing else (logger off,
 * no hooks): the rung below `jobbench serve` in scripts/api-overhead.ts and scripts/request-path-profile.ts.
 * Run as `node -e FASTIFY_HEALTH_SOURCE` from the checkout (fastify resolves from there), PORT in the env.
 */
export const FASTIFY_HEALTH_SOURCE = `
const app = require('fastify')({ logger: false });
const schema = { response: { 200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } } };
app.get('/health', { schema }, async () => ({ status: 'ok' }));
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`;
