# Switchboard: one Dockerfile for every service (apps/*/service.json) and the migration job.
#
#   docker build --target runtime --build-arg SERVICE=crm-sync -t switchboard/crm-sync .
#   docker build --target migrate -t switchboard/migrate .
#
# Only classic Dockerfile syntax is used (no RUN --mount) so that both BuildKit and the legacy
# builder used by docker-compose 1.x can build it.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: every package from the committed lockfile ------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NX_NO_CLOUD=true \
    NX_DAEMON=false \
    npm_config_update_notifier=false
COPY package.json package-lock.json ./
# The committed lockfile, exactly (.ci/run checks that `npm ci` accepts it). Scripts are skipped:
# the root postinstall generates the Prisma clients, which needs the sources (the build stage runs
# it explicitly), and the dependencies' own scripts only validate binaries that npm already installed.
RUN npm ci --no-audit --no-fund --ignore-scripts

# ---- source: dependencies + the repository (tools/, libs/, apps/) -----------------------------
FROM deps AS source
COPY . .

# ---- build: Prisma clients, then every Nx app to dist/apps/<app>/main.js -----------------------
FROM source AS build
RUN npm run db:generate \
 && npx nx run-many -t build --parallel=2 --outputStyle=static

# ---- prod-deps: the same tree without devDependencies (webpack keeps node_modules external) ---
FROM deps AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund --ignore-scripts

# ---- migrate: one-shot `npm run db:deploy` (tsx tool + Prisma's wasm schema engine) -----------
FROM source AS migrate
ENV NODE_ENV=production
USER node
CMD ["npm", "run", "db:deploy"]

# ---- runtime: one service, chosen by SERVICE, as the unprivileged `node` user -----------------
# Every built app is in the image; the build arg only sets the default, so `-e SERVICE=<app>`
# runs any of them from one image.
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=""
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    SERVICE=${SERVICE}
WORKDIR /app
# Files stay owned by root: the service can read its code but never rewrite it.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/apps ./dist/apps
USER node
# Every service's port, written from apps/*/service.json by `npm run deploy:generate`.
EXPOSE 3001 3002 3003 3004 3005
# `exec` makes node PID 1 so SIGTERM reaches the service's graceful-shutdown handler directly.
CMD ["sh", "-c", "if [ ! -f \"dist/apps/${SERVICE}/main.js\" ]; then echo \"SERVICE='${SERVICE}' is not a built app; choose one of: $(ls dist/apps | tr '\\n' ' ')\" >&2; exit 64; fi; exec node \"dist/apps/${SERVICE}/main.js\""]
