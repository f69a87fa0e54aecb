// + an onResponse hook
let calls = 0;
require('./scripts/lib/request-path-variants/base.cjs')(undefined, (app) =>
  app.addHook('onResponse', (_request, _reply, done) => {
    calls++;
    done();
  }),
);
