# syntax=docker/dockerfile:1
# reVo's web app (Next.js, `next start` on port 3000). The browser calls the API itself, at the
# address compiled into the bundle, so it is a build argument (an absolute http(s) URL):
#   docker build -f deploy/docker/web.Dockerfile \
#     --build-arg NEXT_PUBLIC_REVO_API=https://revo.example.com/graphql -t revo-web:dev .
# The image has none of the server's dependencies (no chDB).

FROM node:20-bookworm-slim AS build
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    NEXT_TELEMETRY_DISABLED=1
WORKDIR /app
COPY package.json package-lock.json ./
COPY actors/package.json actors/
COPY analytics/package.json analytics/
COPY schema/package.json schema/
COPY server/package.json server/
COPY web/package.json web/
COPY deploy/package.json deploy/
# The web workspace with its dev tools, plus the root's (TypeScript, which next build wants).
RUN npm ci --workspace=@revo/web --include-workspace-root --ignore-scripts
COPY tsconfig.json ./
COPY actors/ actors/
COPY web/ web/
ARG NEXT_PUBLIC_REVO_API=http://localhost:4000/graphql
# Type checking is CI's job (npm run typecheck); the image build only compiles.
ENV NEXT_PUBLIC_REVO_API=${NEXT_PUBLIC_REVO_API} \
    REVO_WEB_SKIP_TYPECHECK=1
RUN npm run build --workspace=@revo/web && rm -rf web/.next/cache

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY package.json package-lock.json ./
COPY actors/package.json actors/
COPY analytics/package.json analytics/
COPY schema/package.json schema/
COPY server/package.json server/
COPY web/package.json web/
COPY deploy/package.json deploy/
RUN npm ci --workspace=@revo/web --omit=dev --ignore-scripts && npm cache clean --force
COPY actors/ actors/
COPY web/next.config.ts web/
COPY --from=build /app/web/.next web/.next

USER 1000:1000
WORKDIR /app/web
EXPOSE 3000
CMD ["node", "../node_modules/next/dist/bin/next", "start", "--hostname", "0.0.0.0", "--port", "3000"]
