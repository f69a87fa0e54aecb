// + an onSend hook
let calls = 0;
require('./scripts/lib/request-path-variants/base.cjs')(undefined, (app) =>
  app.addHook('onSend', (_request, _reply, payload, done) => {
    calls++;
    done(null, payload);
  }),
);
