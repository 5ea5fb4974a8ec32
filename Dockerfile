# syntax=docker/dockerfile:1
# Pingan Map server image: the API (run from TypeScript by tsx, as `npm start` does)
# and the built web client. docker-compose.yml runs it against a real PostGIS.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first: a source change reuses this layer. Scripts wait for the source
# (the root `prepare` script builds the client, which is not copied yet).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# Install scripts of dependencies (native modules), the client, then drop dev dependencies.
RUN npm rebuild && npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    CLIENT_DIR=/app/dist/client \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches the server through npm and tsx; it closes the HTTP server and the pool.
CMD ["npm", "start"]
