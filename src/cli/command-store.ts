// The store a CLI command works on: opened directly, or through the running server that holds it.
import { openStoreOrServer, resolveStorePath, type Store } from '../store/index.js';

/**
 * Opens the store of `--store` (or `PEJLING_STORE`); while `pejling serve` holds that DuckDB file, the command's
 * reads and writes run in the server (its read pool and write queue), and stderr says so.
 * @example const store = await openCommandStore(program.opts<GlobalOptions>().store);
 */
export async function openCommandStore(option: string | undefined): Promise<Store> {
  const { store, throughServer } = await openStoreOrServer(resolveStorePath(option));
  if (throughServer)
    process.stderr.write(`pejling: ${store.location} is held by a running server; working through it\n`);
  return store;
}
