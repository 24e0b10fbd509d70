import type { KingdeeTokenStore } from '@refundkit/kingdee-retail';
import { createPostgresTokenStore } from '@refundkit/postgres';
import pg from 'pg';
import type { RelayConfig } from './relay-config.js';

/** What relays on one PostgreSQL outbox share beyond it: for now the Kingdee app-token. */
export interface SharedAccounts {
  /** The token store the Kingdee client uses (none on SQLite: the client keeps its token in memory). */
  kingdeeTokenStore?: KingdeeTokenStore;
  close(): Promise<void>;
}

/**
 * Relays sharing a PostgreSQL outbox share their Kingdee account's app-token through the same database
 * (`@refundkit/postgres`), so they do not each ask for one (the token call is rate-limited by the vendor). With a
 * SQLite outbox there is nothing to share.
 */
export function openSharedAccounts(config: RelayConfig): SharedAccounts {
  if (!config.database) return { close: async () => {} };
  const pool = new pg.Pool({ connectionString: config.database, max: 2 });
  pool.on('error', () => {});
  return { kingdeeTokenStore: createPostgresTokenStore({ pool }), close: () => pool.end() };
}
