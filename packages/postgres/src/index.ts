export {
  ADVISORY_LOCKS,
  migrate,
  REFUNDKIT_POSTGRES_MIGRATIONS,
  runMigrations,
  type SchemaMigrations,
} from './postgres-migrations.js';
export { createPostgresRateLimiter, type PostgresRateLimiterSettings } from './postgres-rate-limiter.js';
export type { PostgresSharedSettings } from './postgres-settings.js';
export {
  createPostgresTokenStore,
  type PostgresTokenStore,
  type PostgresTokenStoreSettings,
} from './postgres-token-store.js';
