// + a 'finish' listener on every response
let calls = 0;
require('./scripts/lib/request-path-variants/base.cjs')(undefined, (app) =>
  app.addHook('onRequest', (_request, reply, done) => {
    reply.raw.once('finish', () => calls++);
    done();
  }),
);
