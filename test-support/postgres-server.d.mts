/** A server `startPostgresServer` started. */
export interface PostgresServer {
  pid: number;
  port: number;
  dataDir: string;
  /** The `postgres` database of the `postgres` user, e.g. `postgres://postgres@127.0.0.1:5432/postgres`. */
  url: string;
}
export declare const POSTGRES_SYSTEM_USER: string;
export declare function startPostgresServer(): Promise<PostgresServer>;
export declare function stopPostgresServer(server: PostgresServer): Promise<void>;
