# syntax=docker/dockerfile:1
# reVo's server image: one image for the server, worker and ingester roles (REVO_ROLES picks;
# all three in one process by default). Build from the repository root:
#   docker build -f deploy/docker/server.Dockerfile -t revo-server:dev .
# It listens on 0.0.0.0:4000, so it refuses to start without REVO_API_TOKEN (16+ characters).
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app

# Every workspace's package.json, so npm ci can check the lock file; the sources come after the
# install so that a code change does not reinstall.
COPY package.json package-lock.json ./
COPY actors/package.json actors/
COPY analytics/package.json analytics/
COPY schema/package.json schema/
COPY server/package.json server/
COPY web/package.json web/
COPY deploy/package.json deploy/
# The server workspace and what it imports (actors, schema, analytics with chDB), without dev
# tools or install scripts (nothing needs one). tsx runs the TypeScript sources: it is a dev
# dependency of the root, so it goes in globally, at the version the lock file pins.
RUN npm ci --workspace=@revo/server --omit=dev --ignore-scripts \
 && npm install --global --ignore-scripts "tsx@$(node -p "require('./package-lock.json').packages['node_modules/tsx'].version")" \
 && npm cache clean --force

COPY tsconfig.json ./
COPY actors/ actors/
COPY schema/ schema/
COPY analytics/ analytics/
COPY server/ server/
# REVO_DATA_DIR: spilled analytics batches, and embedded chDB when CLICKHOUSE_URL is unset.
RUN mkdir -p /data && chown 1000:1000 /data

# The image's `node` user, by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
ENV HOST=0.0.0.0 \
    PORT=4000 \
    REVO_DATA_DIR=/data
EXPOSE 4000
# Node itself is PID 1 and gets SIGTERM: reVo stops gracefully on it (runs persisted, sockets closed).
ENTRYPOINT ["node", "--import", "/usr/local/lib/node_modules/tsx/dist/loader.mjs", "server/src/cli/main.ts"]
CMD ["serve"]
