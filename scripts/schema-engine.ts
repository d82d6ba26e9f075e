// Prisma's schema engine, compiled to WebAssembly (@prisma/schema-engine-wasm), driven through the
// `pg` driver adapter. It stands in for `prisma migrate diff` on machines that cannot download
// Prisma's native engine: it writes new migrations (scripts/new-migration.ts) and proves that the
// migrated database matches schema.prisma (test/db/migrations.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

export const SCHEMA_PATH = path.resolve(import.meta.dirname, '../prisma/schema.prisma');

type DiffTarget =
  | { tag: 'empty' }
  | { tag: 'schemaDatamodel'; files: { path: string; content: string }[] }
  | { tag: 'schemaDatasource'; files: { path: string; content: string }[]; configDir: string };

type SchemaEngine = {
  diff(params: {
    from: DiffTarget;
    to: DiffTarget;
    script: boolean;
    exitCode: boolean | null;
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

/**
 * Two gaps between this engine and `pg` are bridged here, on the catalog queries only:
 * - the adapter cannot read PostgreSQL's one-byte `"char"` type (pg_class.relkind, contype...);
 *   reading it as text is exact;
 * - on PostgreSQL 18, NOT NULL constraints appear in pg_constraint with contype 'n', which the
 *   engine cannot parse and panics on (prisma/orm#29635). Nullability is read from pg_attribute,
 *   so those rows are dropped.
 */
class CatalogFriendlyClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  override query(...args: any[]): any {
    const adapt = (result: pg.QueryResult | undefined) => {
      if (!result?.fields) return result;
      for (const field of result.fields) if (field.dataTypeID === 18) field.dataTypeID = 25;
      const contype = result.fields.findIndex((field) => field.name === 'constraint_type');
      if (contype >= 0) {
        result.rows = result.rows.filter((row) => (Array.isArray(row) ? row[contype] : row.constraint_type) !== 'n');
      }
      return result;
    };
    const callbackIndex = args.findIndex((arg) => typeof arg === 'function');
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex];
      args[callbackIndex] = (error: Error, result: pg.QueryResult) => callback(error, adapt(result));
    }
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const returned = (super.query as any)(...args);
    return returned && typeof returned.then === 'function' ? returned.then(adapt) : returned;
  }
}

/** A Rust panic inside the engine is reported here; the call that caused it would never settle. */
const panicListeners = new Set<(message: string) => void>();
let wasmLoaded: Promise<{ SchemaEngine: { new: (...args: unknown[]) => Promise<SchemaEngine> } }> | undefined;

/** The package is built for bundlers (it imports its .wasm file), so it is instantiated by hand. */
async function loadWasm() {
  wasmLoaded ??= (async () => {
    const packageDir = path.dirname((await import.meta.resolve('@prisma/schema-engine-wasm')).replace('file://', ''));
    // The engine reports a Rust panic through this global before throwing.
    const registry = globalThis as unknown as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(m: string): void } };
    registry.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message: (message: string) => {
        for (const listener of panicListeners) listener(message);
      },
    };
    const bindings = await import(path.join(packageDir, 'schema_engine_bg.js'));
    const bytes = fs.readFileSync(path.join(packageDir, 'schema_engine_bg.wasm'));
    // Node has WebAssembly; the ES2023 lib this project compiles against does not declare it.
    const { WebAssembly } = globalThis as unknown as {
      WebAssembly: {
        instantiate(bytes: Buffer, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
      };
    };
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return wasmLoaded;
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

async function withEngine<T>(
  databaseUrl: string,
  schema: string,
  use: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadWasm();
  const pool = new pg.Pool({ connectionString: databaseUrl, Client: CatalogFriendlyClient, max: 2 });
  const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => {}, factory);
  let onPanic: ((message: string) => void) | undefined;
  const panicked = new Promise<never>((_, reject) => {
    onPanic = (message) => reject(new Error(`Prisma schema engine panicked: ${message}`));
    panicListeners.add(onPanic);
  });
  try {
    return await Promise.race([use(engine), panicked]);
  } finally {
    if (onPanic) panicListeners.delete(onPanic);
    engine.free();
    await pool.end();
  }
}

/** SQL that turns the database behind `databaseUrl` into `schema` (empty when they match). */
export async function diffDatabaseToSchema(databaseUrl: string, schema = fs.readFileSync(SCHEMA_PATH, 'utf8')) {
  return withEngine(databaseUrl, schema, async (engine) => {
    const files = [{ path: 'schema.prisma', content: schema }];
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(SCHEMA_PATH) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  });
}

/** SQL that creates `schema` from nothing. */
export async function diffEmptyToSchema(databaseUrl: string, schema = fs.readFileSync(SCHEMA_PATH, 'utf8')) {
  return withEngine(databaseUrl, schema, async (engine) => {
    const result = await engine.diff({
      from: { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? '';
  });
}
