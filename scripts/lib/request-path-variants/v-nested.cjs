// + a root route, the /health route two plugins deep, a not-found handler (the API's encapsulation)
require('./scripts/lib/request-path-variants/base.cjs')(undefined, (app, schema) => {
  app.get('/internal/process', async () => ({ a: 1 }));
  app.register(async (api) => {
    api.setNotFoundHandler((_request, reply) => reply.code(404).send({}));
    await api.register(async (h) => h.get('/health', { schema }, async () => ({ status: 'ok' })));
  });
  return true;
});
