import 'vitest';

// What test/support/global-setup.ts provides to every test file (read with `inject`).
declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres:// URL of the run's shared, migrated database with the demo loaded. */
    databaseUrl: string;
    /** 'embedded': the shared PGlite served by the vitest main process; 'external': DATABASE_URL. */
    databaseMode: 'embedded' | 'external';
  }
}
