import { Session } from 'node:inspector/promises';
import type { FastifyPluginAsync } from 'fastify';

export const PROFILE_START_PATH = '/internal/profile/start';
export const PROFILE_STOP_PATH = '/internal/profile/stop';
const SAMPLING_INTERVAL_US = 1_000; // V8's default; 1 ms keeps the profiler's own cost to a few percent

/**
 * V8's CPU profiler over the inspector protocol, in the server's own process, started and stopped by the
 * benchmark runner around one measured window (jobbench run --cpu-profile): no restart per window and no
 * cost outside the window, unlike `node --cpu-prof` (one profile per process, written at exit). The stop
 * route answers the .cpuprofile JSON. Registered only with JOBBENCH_PROFILER=on, outside the metrics context.
 */
export const profilerRoutes: FastifyPluginAsync = async (app) => {
  let session: Session | undefined;
  app.addHook('onClose', async () => session?.disconnect());

  app.post(PROFILE_START_PATH, async (_request, reply) => {
    if (session) return reply.code(409).send({ status: 'already profiling' });
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await session.post('Profiler.start');
    return { status: 'profiling' };
  });

  app.post(PROFILE_STOP_PATH, async (_request, reply) => {
    if (!session) return reply.code(409).send({ status: 'not profiling' });
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    session = undefined;
    return reply.header('content-type', 'application/json').send(JSON.stringify(profile));
  });
};
