# syntax=docker/dockerfile:1

# Lore: one image for both roles. APP_ROLE (web | worker | all) picks what the process runs.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: every dependency (dev included), needed to compile ------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The dashboard is an npm workspace: npm ci needs its package.json to install Vite, React and chart.js.
COPY dashboard/package.json ./dashboard/
RUN npm ci --include=dev --no-audit --no-fund

# ---- build: tsc to dist/ (dist/src/main.js, dist/scripts/cli.js) and the dashboard ---------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# `npm run build` compiles the server and builds the dashboard (dashboard/dist) with the workspace's Vite.
RUN npm run build \
 && test -f dist/src/main.js \
 && test -f dashboard/dist/index.html

# ---- runtime: production dependencies and build output only, as the unprivileged `node` user -----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY dashboard/package.json ./dashboard/
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && mkdir -p .data \
 && chown node:node .data
COPY --from=build /app/dist ./dist
COPY --from=build /app/dashboard/dist ./dashboard/dist
# Read at runtime relative to the app root: by the migration runner (supabase/migrations) and by the no-model
# confidence gate's word vectors (data/word-vectors, 2 MB).
COPY supabase/migrations ./supabase/migrations
COPY data/word-vectors ./data/word-vectors

USER node
EXPOSE 3000
# Liveness only (/readyz is for the platform's deploy check). node:*-slim has no curl: use fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/main.js"]
