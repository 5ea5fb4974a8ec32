import type { OutboxEntry } from './types';

/**
 * The outbox in IndexedDB (raw API, one object store keyed by idempotency key). Photos
 * are stored as Blobs with their report, so a report survives a closed tab, a reload
 * and a phone that drops the page while in a pocket.
 */

const DB_NAME = 'pingan-report';
const DB_VERSION = 1;
const STORE = 'outbox';

let opening: Promise<IDBDatabase> | null = null;

function database(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: 'key' });
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the schema: let it, and open afresh next time.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
    request.onblocked = () => reject(new Error('IndexedDB is held by another tab of an older version'));
  }).catch((error: unknown) => {
    opening = null;
    throw error;
  });
  return opening;
}

async function inStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await database();
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = run(tx.objectStore(STORE));
    // Resolved when the transaction commits, not when the request succeeds: a write is
    // only safe once it is on disk.
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error ?? request.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export function readOutbox(): Promise<OutboxEntry[]> {
  return inStore('readonly', (store) => store.getAll() as IDBRequest<OutboxEntry[]>);
}

export async function saveEntry(entry: OutboxEntry): Promise<void> {
  await inStore('readwrite', (store) => store.put(entry));
}

export async function deleteEntry(key: string): Promise<void> {
  await inStore('readwrite', (store) => store.delete(key));
}
