# Dalil: build with the dev tools, run with production packages only, as a non-root user.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY views ./views
COPY locales ./locales
COPY content ./content
COPY public ./public
# The release directory: every page that is a pure function of its address, rendered and
# compressed once here, for the address the site will be served at (pages carry it in links, QR
# codes and hreflang). Started with another BASE_URL, the server renders on demand and says so.
ARG BASE_URL=http://localhost:3000
RUN BASE_URL="$BASE_URL" NODE_ENV=production npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
# Files stay owned by root: the server reads them and can change none of them.
COPY package.json package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/release ./release
COPY views ./views
COPY locales ./locales
COPY content ./content
COPY public ./public
# The one place the server writes: the SQLite store (DATABASE_URL unset). Mount a volume there to
# keep reports across containers, or set DATABASE_URL to a PostgreSQL server.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM reaches node directly (exec form): in-flight requests finish, then it exits 0. The V8
# flags are those of npm start (package.json; a test checks they are the same).
CMD ["node", "--min-semi-space-size=8", "dist/server.js"]
