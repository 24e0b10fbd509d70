import type { OutboxStore } from './outbox-store.js';
import { openPostgresOutbox } from './postgres-outbox-store.js';
import type { RelayConfig } from './relay-config.js';
import { openSqliteOutbox } from './sqlite-outbox-store.js';

/**
 * Opens the configured outbox: the PostgreSQL one when `database` is set (several relays may share it), the SQLite
 * file `db` otherwise. `readonly` opens it for reading only (`status`).
 */
export function openOutbox(config: RelayConfig, options: { readonly?: boolean } = {}): OutboxStore {
  const readonly = options.readonly ?? false;
  return config.database
    ? openPostgresOutbox({ url: config.database, readonly })
    : openSqliteOutbox({ path: config.db, readonly, allowSharedFile: config.allowSharedDatabaseFile });
}

/** How reports name the outbox: the SQLite path, or the PostgreSQL URL without its password. */
export function outboxLabel(config: RelayConfig): string {
  if (!config.database) return config.db;
  try {
    const url = new URL(config.database);
    if (url.password) url.password = '';
    return url.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}
