# syntax=docker/dockerfile:1
# The shop in a container: Node 24, better-sqlite3 compiled in the build stage, a non-root user,
# the database in the /data volume, migrations applied at start, /healthz as the health check.
# The operator mounts their catalog and sets CATALOG_PATH (the example catalog is never sold in production).

FROM node:24-bookworm-slim AS build
WORKDIR /app
# Toolchain for better-sqlite3's native addon (used only when no prebuilt binary matches).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
# A heap sized for the shop: V8 otherwise lets it grow lazily under load (docs/BENCHMARKS.md); and two malloc
# arenas instead of one per thread (glibc's default on 2 cores is 16): 15-17 MB less resident after 10,000 orders.
# The module compile cache (src/main.ts) is filled below, at build time: even a new container's first start
# reads its modules compiled.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=80 --max-semi-space-size=1" \
    MALLOC_ARENA_MAX=2 \
    NODE_COMPILE_CACHE=/app/.compile-cache \
    DATABASE_PATH=/data/shop.sqlite \
    HTTP_PORT=3000 \
    HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json catalog.example.json ./
COPY drizzle ./drizzle
COPY locales ./locales
RUN node --input-type=module -e "await import('/app/dist/app.js')" \
 && mkdir -p /data && chown -R node:node /data /app/.compile-cache
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Migrations run inside the process at start (src/db/connection.ts).
CMD ["node", "dist/main.js"]
