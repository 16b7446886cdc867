# The application image: the worker and the API (same code, different command).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# schema.prisma reads env("DATABASE_URL") while generating; any URL will do at build time.
RUN DATABASE_URL=postgresql://build@localhost/build npx prisma generate
USER node
CMD ["npm", "run", "api"]
